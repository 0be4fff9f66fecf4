// Languages a Dynamics 365 instance can have installed. A portal's language must be installed in its
// instance, and the rules (docs/architecture.md) leave out right-to-left Arabic and Hebrew: they are never offered.
// The language warning lives here beside the table so that the Slack modal (before submit) and the
// API (in its answer) say the same sentence; it depends on nothing but the table.

export interface Language {
  code: string;
  name: string;
  lcid: number;
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en-US', name: 'English', lcid: 1033 },
  { code: 'fr-FR', name: 'French', lcid: 1036 },
  { code: 'de-DE', name: 'German', lcid: 1031 },
  { code: 'es-ES', name: 'Spanish', lcid: 3082 },
  { code: 'it-IT', name: 'Italian', lcid: 1040 },
  { code: 'nl-NL', name: 'Dutch', lcid: 1043 },
  { code: 'pt-BR', name: 'Portuguese (Brazil)', lcid: 1046 },
  { code: 'da-DK', name: 'Danish', lcid: 1030 },
  { code: 'sv-SE', name: 'Swedish', lcid: 1053 },
  { code: 'fi-FI', name: 'Finnish', lcid: 1035 },
  { code: 'nb-NO', name: 'Norwegian', lcid: 1044 },
  { code: 'pl-PL', name: 'Polish', lcid: 1045 },
  { code: 'ja-JP', name: 'Japanese', lcid: 1041 },
  { code: 'zh-CN', name: 'Chinese (Simplified)', lcid: 2052 },
  { code: 'ar-SA', name: 'Arabic', lcid: 1025 },
  { code: 'he-IL', name: 'Hebrew', lcid: 1037 },
];

const byCode = new Map(LANGUAGES.map((language) => [language.code.toLowerCase(), language]));

/** Primary language subtags the portal platform does not support (Microsoft's provisioning page says they "will not show up"). */
const UNSUPPORTED_PRIMARY = new Set(['ar', 'he']);

export function findLanguage(code: string): Language | undefined {
  return byCode.get(code.trim().toLowerCase());
}

export function isPortalLanguage(code: string): boolean {
  const primary = code.trim().toLowerCase().split('-')[0] ?? '';
  return !UNSUPPORTED_PRIMARY.has(primary);
}

/** The languages an instance may offer for a portal: installed there, known, and supported. */
export function offerableLanguages(installed: readonly string[]): Language[] {
  return installed
    .filter(isPortalLanguage)
    .map(findLanguage)
    .filter((language): language is Language => language !== undefined);
}

/** A choice that is accepted but will make provisioning fail unless something is changed first. */
export interface FieldWarning {
  field: string;
  message: string;
}

/**
 * The portal package installs only in the instance's default (base) language: a portal in any other
 * installed language is accepted, then fails at installation. Said beside the language before
 * submit and in the API's answer, naming both ways out.
 */
export function languageWarning(instance: { name: string; baseLanguage: string }, language: string | undefined): FieldWarning | undefined {
  if (!language || language.trim().toLowerCase() === instance.baseLanguage.trim().toLowerCase()) return undefined;
  const base = findLanguage(instance.baseLanguage)?.name ?? instance.baseLanguage;
  const wanted = findLanguage(language)?.name ?? language;
  return {
    field: 'language',
    message: `The package installs only in the default language of ${instance.name}, which is ${base}: installation will fail in ${wanted}. Choose ${base}, or have an administrator set the default language of ${instance.name} to ${wanted} before the installation starts.`,
  };
}
