import { describe, expect, it } from 'vitest';
import { checkNameText, describeCharacter } from './names.ts';

const check = (raw: string) => checkNameText(raw, 'name', 100);

describe('a name', () => {
  it('keeps letters of every script, emoji and punctuation', () => {
    for (const name of [
      'Contoso Partners',
      'Café Müller',
      'Ελληνικά',
      '日本語のポータル',
      'العربية',
      'Portal 🚀 #2',
      "O'Brien & Co. (EU)",
      'Go \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}!',
      'Heart \u2764\uFE0F',
    ])
      expect(check(name), name).toEqual({ value: name, problems: [] });
  });

  it('is stored in NFC, so one name has one form however it was typed', () => {
    const decomposed = 'Cafe\u0301 Mu\u0308ller';
    expect(check(decomposed)).toEqual({ value: 'Café Müller', problems: [] });
    expect(check(decomposed).value).toBe('Café Müller'.normalize('NFC'));
    // Ångström sign and A with ring are one letter in NFC.
    expect(check('\u212Bngstr\u00F6m').value).toBe('\u00C5ngstr\u00F6m');
  });

  it.each([
    ['NUL', 'Con\u0000toso', 'Remove the control characters from the name: U+0000 (NUL).'],
    ['BEL', 'Contoso\u0007', 'Remove the control characters from the name: U+0007 (BEL).'],
    ['an ANSI escape', 'Contoso \u001b[31mred\u001b[0m', 'Remove the control characters from the name: U+001B (ESC).'],
    ['a C1 control', 'Contoso\u0085x', 'Remove the control characters from the name: U+0085.'],
    ['a line break inside', 'Contoso\nPartners', 'Remove the control characters from the name: U+000A (line break).'],
    [
      'a right-to-left override',
      'invoice\u202Etxt.exe',
      'Remove the bidirectional formatting characters from the name, which change the order it reads in: U+202E (RIGHT-TO-LEFT OVERRIDE).',
    ],
    [
      'an isolate',
      'a\u2066b\u2069',
      'Remove the bidirectional formatting characters from the name, which change the order it reads in: U+2066 (LEFT-TO-RIGHT ISOLATE), U+2069 (POP DIRECTIONAL ISOLATE).',
    ],
    [
      'a direction mark',
      'a\u200Fb\u061Cc',
      'Remove the bidirectional formatting characters from the name, which change the order it reads in: U+200F (RIGHT-TO-LEFT MARK), U+061C (ARABIC LETTER MARK).',
    ],
    ['a zero-width space', 'Con\u200Btoso', 'Remove the invisible zero-width characters from the name: U+200B (ZERO WIDTH SPACE).'],
    ['a word joiner and a BOM inside', 'Con\u2060to\uFEFFso', 'Remove the invisible zero-width characters from the name: U+2060 (WORD JOINER), U+FEFF (ZERO WIDTH NO-BREAK SPACE).'],
    ['a soft hyphen', 'Con\u00ADtoso', 'Remove the invisible characters from the name: U+00AD (SOFT HYPHEN).'],
    ['tag characters (invisible ASCII)', 'Contoso\u{E0069}\u{E0067}', 'Remove the invisible characters from the name: U+E0069, U+E0067.'],
    ['tag characters outside a flag', '\u{E0067}\u{1F3F4}\u{E0067}\u{E007F}', 'Remove the invisible characters from the name: U+E0067.'],
    ['a Mongolian vowel separator', 'Contoso\u180E', 'Remove the invisible characters from the name: U+180E (MONGOLIAN VOWEL SEPARATOR).'],
    ['a Hangul filler', 'Con\u3164toso', 'Remove the invisible characters from the name: U+3164 (HANGUL FILLER).'],
    ['an invisible operator and an annotation mark', 'a\u2062b\uFFF9c', 'Remove the invisible characters from the name: U+2062, U+FFF9.'],
    ['a noncharacter', 'Contoso\uFFFF', 'Remove the noncharacters from the name, which are not text: U+FFFF.'],
    ['a lone high surrogate', 'Contoso \uD800', 'The name holds half of a UTF-16 surrogate pair, which is not a character; type the name again.'],
    ['a lone low surrogate', '\uDC00Contoso', 'The name holds half of a UTF-16 surrogate pair, which is not a character; type the name again.'],
    ['a replacement character', 'Contoso \uFFFD\uFFFD\uFFFD', 'The name holds U+FFFD (REPLACEMENT CHARACTER), left where the text sent was not valid UTF-8; send the name as UTF-8.'],
  ])('refuses %s, naming it', (_what, raw, problem) => {
    expect(check(raw).problems).toEqual([problem]);
  });

  it('reports every problem at once, each character once', () => {
    const raw = `\u0007${'x'.repeat(100)}\u0007\u202E\u200B`;
    expect(check(raw).problems).toEqual([
      'Remove the control characters from the name: U+0007 (BEL).',
      'Remove the bidirectional formatting characters from the name, which change the order it reads in: U+202E (RIGHT-TO-LEFT OVERRIDE).',
      'Remove the invisible zero-width characters from the name: U+200B (ZERO WIDTH SPACE).',
      'Use at most 100 characters for the name (it has 104).',
    ]);
  });

  it('lists a few of many bad characters and counts the rest', () => {
    const raw = `a${'\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008'}b`;
    expect(check(raw).problems).toEqual(['Remove the control characters from the name: U+0001, U+0002, U+0003, U+0004, U+0005 and 3 more.']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(check('🚀'.repeat(100)).problems).toEqual([]);
    expect(check('🚀'.repeat(101)).problems).toEqual(['Use at most 100 characters for the name (it has 101).']);
  });

  it('describes characters so that a message never carries an invisible one', () => {
    expect(describeCharacter('_')).toBe('"_"');
    expect(describeCharacter(' ')).toBe('space');
    expect(describeCharacter('\u00A0')).toBe('U+00A0');
    expect(describeCharacter('\u001b')).toBe('U+001B (ESC)');
  });
});
