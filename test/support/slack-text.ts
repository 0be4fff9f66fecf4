// How Slack shows mrkdwn to a person: `<…>` is a link, a mention or a special command, never text;
// &lt; &gt; and &amp; are the only way to show <, > and &.

export function shownBySlack(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const bar = inner.indexOf('|');
      if (bar >= 0) return inner.slice(bar + 1);
      if (inner.startsWith('!')) return `@${inner.slice(1)}`;
      // A mention shows as its name, a link as its address: either way without the brackets.
      return inner;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every mrkdwn text of a message (its `text` and each mrkdwn object in its blocks), as shown. */
export function shownTexts(message: { text?: string; blocks?: unknown[] }): string[] {
  const texts: string[] = message.text ? [shownBySlack(message.text)] : [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (object.type === 'mrkdwn' && typeof object.text === 'string') texts.push(shownBySlack(object.text));
    for (const value of Object.values(object)) walk(value);
  };
  walk(message.blocks);
  return texts;
}
