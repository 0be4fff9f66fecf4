// Downloads a file a user gave in a modal: only from Slack's own file host (the URL Slack gave), with
// the bot token, and never more than `maxBytes`.
export type FileFetcher = (file: { url_private_download?: string; url_private?: string; size?: number }) => Promise<Buffer>;

export class FileRefused extends Error {
  override name = 'FileRefused';
}

export function slackFileFetcher(options: { token: string; apiUrl?: string | undefined; maxBytes: number }): FileFetcher {
  const allowed = new Set(['https://files.slack.com']);
  if (options.apiUrl) allowed.add(new URL(options.apiUrl).origin);
  return async (file) => {
    const url = file.url_private_download ?? file.url_private;
    if (typeof url !== 'string' || !URL.canParse(url)) throw new FileRefused('Slack gave no address for the uploaded file; upload it again.');
    if (!allowed.has(new URL(url).origin)) throw new FileRefused('The file does not come from Slack; upload it in the form.');
    if ((file.size ?? 0) > options.maxBytes) throw new FileRefused(`The file is larger than ${Math.round(options.maxBytes / 1024)} KB.`);
    const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` }, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!response.ok || !response.body) throw new FileRefused(`Slack answered ${response.status} for the file; upload it again.`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > options.maxBytes) throw new FileRefused(`The file is larger than ${Math.round(options.maxBytes / 1024)} KB.`);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  };
}
