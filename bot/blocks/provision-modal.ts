// The provision modal: every general setting of a portal. Menus that depend on another choice (the
// instance's languages and administrators, the audience's portal types, the Partner Portal's add-ons)
// are rebuilt with views.update when that choice changes. Their block ids carry the choice they
// depend on, so Slack drops a value that no longer fits instead of keeping it.
import type { KnownBlock, View } from '@slack/types';
import { languageWarning } from '../../vocabulary/languages.ts';
import type { ProvisionForm } from '../provision-form.ts';
import { ACTION, context, escapeMrkdwn, LIMITS, option, PROVISION_CALLBACK, plain, truncate } from './common.ts';

type Form = ProvisionForm;
type Audience = Form['portalCatalog']['audiences'][number];
type PortalTypeEntry = Audience['portalTypes'][number];

export interface ModalChoice {
  instanceId?: string | undefined;
  audience?: string | undefined;
  portalType?: string | undefined;
}

export interface ModalValues extends ModalChoice {
  name?: string | undefined;
  subdomain?: string | undefined;
  language?: string | undefined;
  administratorId?: string | undefined;
  addOns?: string[] | undefined;
}

export interface ModalMeta {
  /** Where the request was made: the terms message goes there and the portal's updates follow it. */
  channelId: string | null;
  /** Set when changing the values of an existing portal (Change Values and Restart Provisioning). */
  portalId?: string;
}

/** Short, stable key of a choice for block ids (block ids are limited to 255 characters). */
function key(value: string | undefined): string {
  return (value ?? 'none').replace(/[^A-Za-z0-9]/g, '').slice(-40);
}

export const BLOCK = {
  name: 'name',
  subdomain: 'subdomain',
  instance: 'instance',
  language: (instanceId?: string) => `language_${key(instanceId)}`,
  // Not "language_…": that prefix finds the language input.
  languageWarning: 'warning_language',
  administrator: (instanceId?: string) => `administrator_${key(instanceId)}`,
  audience: 'audience',
  portalType: (audience?: string) => `portal_type_${key(audience)}`,
  addOns: (instanceId?: string) => `add_ons_${key(instanceId)}`,
} as const;

const FIELD_BLOCKS: Record<string, string> = {
  subdomain: 'subdomain',
  instanceId: 'instance',
  language: 'language',
  administratorId: 'administrator',
  audience: 'audience',
  portalType: 'portal_type',
  addOns: 'add_ons',
};

/**
 * Which block of the submitted view shows the problem of an API field. A problem whose block is not
 * in the view (license, add-ons of a type without them) goes on the nearest one that is.
 */
export function blockForField(field: string, blockIds: readonly string[]): string {
  const prefixes = field === 'addOns' ? ['add_ons', 'portal_type'] : [FIELD_BLOCKS[field] ?? BLOCK.name];
  for (const prefix of prefixes) {
    const id = blockIds.find((b) => b === prefix || b.startsWith(`${prefix}_`));
    if (id) return id;
  }
  return BLOCK.name;
}

function select(actionId: string, placeholder: string, options: ReturnType<typeof option>[], initial?: string) {
  const capped = options.slice(0, LIMITS.optionsPerMenu);
  const initialOption = capped.find((o) => o.value === initial);
  return {
    type: 'static_select' as const,
    action_id: actionId,
    placeholder: plain(placeholder),
    options: capped,
    ...(initialOption ? { initial_option: initialOption } : {}),
  };
}

/** What the modal shows as chosen: the user's choices where they still fit, else the first of each menu. */
function chosen(form: Form, values: ModalValues) {
  const instance = form.instances.find((i) => i.id === values.instanceId) ?? form.instances[0];
  const audience: Audience | undefined = form.portalCatalog.audiences.find((a) => a.key === values.audience) ?? form.portalCatalog.audiences[0];
  const portalType: PortalTypeEntry | undefined = audience?.portalTypes.find((t) => t.key === values.portalType) ?? audience?.portalTypes[0];
  const languages = instance?.languages ?? [];
  const baseLanguage = languages.find((l) => l.code === instance?.baseLanguage?.code);
  // The default language is the one that installs, so it is chosen until the user picks another.
  const language = languages.find((l) => l.code === values.language) ?? baseLanguage;
  return { instance, audience, portalType, languages, baseLanguage, language };
}
type Chosen = ReturnType<typeof chosen>;

function nameBlocks(values: ModalValues): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: BLOCK.name,
      label: plain('Name'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 100, ...(values.name ? { initial_value: values.name } : {}) },
    },
    {
      type: 'input',
      block_id: BLOCK.subdomain,
      label: plain('Portal URL (subdomain)'),
      hint: plain('Letters, digits and hyphens only.', 150),
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        max_length: 63,
        placeholder: plain('contoso-support'),
        ...(values.subdomain ? { initial_value: values.subdomain } : {}),
      },
    },
  ];
}

/** The instance and what depends on it: its languages (with a warning when the package will not install) and administrators. */
function instanceBlocks(form: Form, { instance, languages, baseLanguage, language }: Chosen, values: ModalValues): KnownBlock[] {
  const warning = instance?.baseLanguage && language ? languageWarning({ name: instance.name, baseLanguage: instance.baseLanguage.code }, language.code) : undefined;
  const languageHint = baseLanguage
    ? `The sample data is created in this language. The package installs only in ${baseLanguage.name}, the default language of this instance.`
    : 'The sample data is created in this language.';
  const administrators = (instance?.eligibleAdministrators ?? []).map((u) => option(`${u.displayName} (${u.email})`, u.id));
  return [
    {
      type: 'input',
      block_id: BLOCK.instance,
      dispatch_action: true,
      label: plain('Dynamics 365 instance'),
      element: select(
        ACTION.instance,
        'Choose an instance',
        form.instances.map((i) => option(i.name, i.id)),
        instance?.id,
      ),
    },
    {
      type: 'input',
      block_id: BLOCK.language(instance?.id),
      // Each choice is checked against the instance's default language at once, not at submit.
      dispatch_action: true,
      label: plain('Portal language'),
      hint: plain(languageHint, 150),
      element: select(
        ACTION.language,
        'Choose a language',
        languages.map((l) => option(`${l.name} (${l.code})`, l.code)),
        language?.code,
      ),
    },
    ...(warning ? [{ ...context(`:warning: ${escapeMrkdwn(warning.message)}`), block_id: BLOCK.languageWarning }] : []),
    {
      type: 'input',
      block_id: BLOCK.administrator(instance?.id),
      label: plain('Portal administrator'),
      element: select('value', 'Choose a System Administrator', administrators, values.administratorId),
    },
  ];
}

function audienceBlocks(form: Form, { audience, portalType }: Chosen): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: BLOCK.audience,
      dispatch_action: true,
      label: plain('Portal audience'),
      element: select(
        ACTION.audience,
        'Who visits the portal',
        form.portalCatalog.audiences.map((a) => option(a.name, a.key)),
        audience?.key,
      ),
    },
    {
      type: 'input',
      block_id: BLOCK.portalType(audience?.key),
      dispatch_action: true,
      label: plain('Portal to be deployed'),
      element: select(
        ACTION.portalType,
        'Choose a portal type',
        (audience?.portalTypes ?? []).map((t) => option(t.name, t.key)),
        portalType?.key,
      ),
    },
  ];
}

/** The portal type's add-ons, each saying which solutions it needs and which of them the instance lacks. */
function addOnBlocks({ instance, portalType }: Chosen, values: ModalValues): KnownBlock[] {
  if (!portalType || portalType.addOns.length === 0) return [];
  const installed = new Set(instance?.installedSolutions ?? []);
  const addOnOptions = portalType.addOns.map((a) => {
    const missing = a.requiredSolutions.filter((s) => !installed.has(s));
    return {
      text: plain(a.name),
      value: a.key,
      description: plain(missing.length > 0 ? `Needs ${missing.join(', ')} in this instance` : `Uses ${a.requiredSolutions.join(', ')}`),
    };
  });
  const initial = addOnOptions.filter((o) => values.addOns?.includes(o.value));
  return [
    {
      type: 'input',
      block_id: BLOCK.addOns(instance?.id),
      optional: true,
      label: plain('Add-ons'),
      element: { type: 'checkboxes', action_id: 'value', options: addOnOptions, ...(initial.length > 0 ? { initial_options: initial } : {}) },
    },
  ];
}

export function provisionModal(form: Form, values: ModalValues, meta: ModalMeta): View {
  const choice = chosen(form, values);
  const { portalType } = choice;
  const blocks: KnownBlock[] = [
    context('The portal *Type* (Trial or Production) is set from the license it uses. The portal URL cannot change after provisioning.'),
    ...nameBlocks(values),
    ...instanceBlocks(form, choice, values),
    ...audienceBlocks(form, choice),
    ...addOnBlocks(choice, values),
    ...(portalType ? [context(truncate(`*${portalType.name}* includes: ${portalType.features.join(' · ')}`, LIMITS.sectionText))] : []),
  ];
  return {
    type: 'modal',
    callback_id: PROVISION_CALLBACK,
    title: plain(meta.portalId ? 'Change portal values' : 'Provision a portal', LIMITS.modalTitle),
    submit: plain(meta.portalId ? 'Restart provisioning' : 'Submit', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ ...meta, choice: { instanceId: choice.instance?.id, audience: choice.audience?.key, portalType: portalType?.key } }),
    blocks,
  };
}

type StateValues = Record<string, Record<string, { selected_option?: { value: string } | null; value?: string | null; selected_options?: Array<{ value: string }> }>>;

function find(values: StateValues, prefix: string) {
  const blockId = Object.keys(values ?? {}).find((id) => id === prefix || id.startsWith(`${prefix}_`));
  const state = blockId ? Object.values(values[blockId] ?? {})[0] : undefined;
  return state && typeof state === 'object' ? state : undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Reads what the user entered in the modal; anything not shaped as Slack sends it counts as empty. */
export function readModal(values: StateValues): ModalValues {
  const pick = (prefix: string) => text(find(values, prefix)?.selected_option?.value);
  const options = find(values, 'add_ons')?.selected_options;
  return {
    name: text(find(values, BLOCK.name)?.value),
    subdomain: text(find(values, BLOCK.subdomain)?.value),
    instanceId: pick(BLOCK.instance),
    language: pick('language'),
    administratorId: pick('administrator'),
    audience: pick(BLOCK.audience),
    portalType: pick('portal_type'),
    addOns: Array.isArray(options) ? options.map((o) => text(o?.value)).filter((v): v is string => v !== undefined) : [],
  };
}

export function readMeta(privateMetadata: string | undefined): ModalMeta & { choice: ModalChoice } {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<ModalMeta & { choice: ModalChoice }> | null;
    if (!parsed || typeof parsed !== 'object') return { channelId: null, choice: {} };
    return {
      channelId: typeof parsed.channelId === 'string' ? parsed.channelId : null,
      ...(typeof parsed.portalId === 'string' ? { portalId: parsed.portalId } : {}),
      choice: parsed.choice && typeof parsed.choice === 'object' ? parsed.choice : {},
    };
  } catch {
    return { channelId: null, choice: {} };
  }
}
