// The portal catalog: audiences, portal types, features and add-ons, served as data.
import { type AddOnDefinition, type CatalogAudience, FEATURE_TABLE, PORTAL_CATALOG } from '../../vocabulary/catalog.ts';
import { isPortalLanguage, LANGUAGES, type Language } from '../../vocabulary/languages.ts';
import { builder } from '../builder.ts';
import { AddOnEnum, AudienceEnum, PortalTypeEnum } from './enums.ts';

export const LanguageRef = builder.objectRef<Language>('Language').implement({
  description: 'A language a Dynamics 365 instance can have installed.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'BCP 47 code, for example en-US.' }),
    name: t.exposeString('name'),
    lcid: t.exposeInt('lcid', { description: 'The Windows locale id Dynamics 365 uses.' }),
  }),
});

const CatalogAddOn = builder.objectRef<AddOnDefinition>('CatalogAddOn').implement({
  fields: (t) => ({
    key: t.field({ type: AddOnEnum, resolve: (a) => a.key }),
    name: t.exposeString('name'),
    requiredSolutions: t.stringList({
      description: 'Solutions that must be installed in the instance for this add-on.',
      resolve: (a) => [...a.requiredSolutions],
    }),
  }),
});

type CatalogPortalTypeShape = CatalogAudience['portalTypes'][number];
const CatalogPortalType = builder.objectRef<CatalogPortalTypeShape>('CatalogPortalType').implement({
  fields: (t) => ({
    key: t.field({ type: PortalTypeEnum, resolve: (p) => p.key }),
    name: t.exposeString('name'),
    features: t.stringList({ description: "The portal type's feature names, in the order Microsoft's provisioning page lists them.", resolve: (p) => [...p.features] }),
    addOns: t.field({ type: [CatalogAddOn], resolve: (p) => [...p.addOns] }),
  }),
});

const CatalogAudienceRef = builder.objectRef<CatalogAudience>('CatalogAudience').implement({
  fields: (t) => ({
    key: t.field({ type: AudienceEnum, resolve: (a) => a.key }),
    name: t.exposeString('name'),
    portalTypes: t.field({ type: [CatalogPortalType], resolve: (a) => a.portalTypes }),
  }),
});

const FeatureRow = builder.objectRef<(typeof FEATURE_TABLE)[number]>('CatalogFeature').implement({
  fields: (t) => ({
    name: t.exposeString('feature'),
    portalTypes: t.field({ type: [PortalTypeEnum], resolve: (row) => [...row.portalTypes] }),
  }),
});

const PortalCatalog = builder.objectRef<object>('PortalCatalog').implement({
  fields: (t) => ({
    audiences: t.field({ type: [CatalogAudienceRef], resolve: () => [...PORTAL_CATALOG] }),
    features: t.field({
      type: [FeatureRow],
      description: 'The feature table: each feature and the portal types that have it.',
      resolve: () => [...FEATURE_TABLE],
    }),
    languages: t.field({
      type: [LanguageRef],
      description: 'Languages a portal can be deployed in (never Arabic or Hebrew).',
      resolve: () => LANGUAGES.filter((l) => isPortalLanguage(l.code)),
    }),
  }),
});

builder.queryField('portalCatalog', (t) => t.field({ type: PortalCatalog, resolve: () => ({}) }));
