import { describe, expect, it } from 'vitest';
import { languageWarning } from './languages.ts';

describe('the language warning', () => {
  const middleEast = { name: 'Contoso Middle East', baseLanguage: 'en-US' };

  it('says nothing for the default language, in any case, nor before a language is chosen', () => {
    expect(languageWarning(middleEast, 'en-US')).toBeUndefined();
    expect(languageWarning(middleEast, 'EN-us')).toBeUndefined();
    expect(languageWarning(middleEast, undefined)).toBeUndefined();
  });

  it('names the default language and both ways out for any other', () => {
    expect(languageWarning(middleEast, 'fr-FR')).toEqual({
      field: 'language',
      message:
        'The package installs only in the default language of Contoso Middle East, which is English: installation will fail in French. Choose English, or have an administrator set the default language of Contoso Middle East to French before the installation starts.',
    });
  });
});
