// What a name a person gives may hold. A name travels to Slack messages, the admin center and log
// lines, so it holds only visible text: no control characters (which ring bells and move terminal
// cursors), no bidirectional overrides (which make "txt.exe" read as "exe.txt"), no invisible
// characters (which make two names that look alike differ) and nothing that was not valid Unicode.

/** Short names for the invisible characters people meet most; the rest are known by code point. */
const CHARACTER_NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'BEL',
  0x08: 'backspace',
  0x09: 'tab',
  0x0a: 'line break',
  0x0d: 'carriage return',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x3164: 'HANGUL FILLER',
  0xfffd: 'REPLACEMENT CHARACTER',
};

function codePoint(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A character as a message can show it: a visible one in quotes, a space by name, anything else by
 * code point (and name), so the message itself carries no invisible or line-breaking character.
 */
export function describeCharacter(character: string): string {
  if (character === ' ') return 'space';
  const code = character.codePointAt(0) ?? 0;
  const name = CHARACTER_NAMES[code];
  if (name || /[\p{C}\p{Z}\uFFFD]/u.test(character)) return name ? `${codePoint(character)} (${name})` : codePoint(character);
  return `"${character}"`;
}

/** Lists at most a few distinct characters; a pasted block of garbage does not need them all. */
export function listCharacters(characters: Iterable<string>, limit = 5): string {
  const distinct = [...new Set(characters)];
  const shown = distinct.slice(0, limit).map(describeCharacter).join(', ');
  return distinct.length > limit ? `${shown} and ${distinct.length - limit} more` : shown;
}

// A flag such as England's is a black flag followed by tag characters, ended by CANCEL TAG; that is
// the only place tag characters show as something. Anywhere else they are invisible text.
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

const RULES: Array<{ pattern: RegExp; problem: (what: string, found: string) => string; ignore?: RegExp }> = [
  {
    // C0 and C1 controls, DEL, and the Unicode line and paragraph separators: each breaks a line or
    // drives a terminal.
    pattern: /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/gu,
    problem: (what, found) => `Remove the control characters from the ${what}: ${found}.`,
  },
  {
    pattern: /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu,
    problem: (what, found) => `Remove the bidirectional formatting characters from the ${what}, which change the order it reads in: ${found}.`,
  },
  {
    pattern: /[\u200B-\u200D\u2060\uFEFF]/gu,
    problem: (what, found) => `Remove the invisible zero-width characters from the ${what}: ${found}.`,
  },
  {
    // Characters that show nothing and take no space, or look like a blank without being a space:
    // formatting characters, the invisible operators, tag characters (invisible ASCII), Mongolian
    // selectors, interlinear annotation marks, and the Hangul fillers that render as nothing.
    pattern: /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2061-\u2064\u206A-\u206F\u3164\uFFA0\uFFF9-\uFFFB\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}]/gu,
    ignore: EMOJI_TAG_SEQUENCE,
    problem: (what, found) => `Remove the invisible characters from the ${what}: ${found}.`,
  },
  {
    // Code points Unicode keeps out of text for good.
    pattern:
      /[\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/gu,
    problem: (what, found) => `Remove the noncharacters from the ${what}, which are not text: ${found}.`,
  },
  {
    // With the u flag a surrogate matches only when it is not half of a pair.
    pattern: /[\uD800-\uDFFF]/gu,
    problem: (what) => `The ${what} holds half of a UTF-16 surrogate pair, which is not a character; type the ${what} again.`,
  },
  {
    // What a decoder puts for bytes that were not UTF-8: the character meant is lost, so it is refused
    // rather than stored in its place.
    pattern: /\uFFFD/gu,
    problem: (what) => `The ${what} holds U+FFFD (REPLACEMENT CHARACTER), left where the text sent was not valid UTF-8; send the ${what} as UTF-8.`,
  },
];

/**
 * A name as it is kept: trimmed and in Unicode NFC (so one name has one form, however it was typed),
 * with every problem found, each a sentence naming the characters to remove. Whether it may be empty
 * is the caller's rule.
 */
export function checkNameText(raw: string, what: string, maxLength: number): { value: string; problems: string[] } {
  const trimmed = raw.trim();
  const problems: string[] = [];
  for (const rule of RULES) {
    const found = (rule.ignore ? trimmed.replace(rule.ignore, '') : trimmed).match(rule.pattern);
    if (found) problems.push(rule.problem(what, listCharacters(found)));
  }
  // Normalizing text that is not well formed would hide where it was broken.
  const value = problems.length === 0 ? trimmed.normalize('NFC') : trimmed;
  const length = [...value].length;
  if (length > maxLength) problems.push(`Use at most ${maxLength} characters for the ${what} (it has ${length}).`);
  return { value, problems };
}
