/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment PortalCardFields on Portal {\n    id\n    name\n    displayName\n    status\n    subdomain\n    url\n    language\n    audience\n    portalType\n    addOns\n    features\n    resourceStatus\n    packageStatus\n    statusMessage\n    urlServes\n    lastError\n    allowedActions\n    attempt\n    notifyChannel\n    createdAt\n    updatedAt\n    provisionedAt\n    consentGrantedAt\n    instance { id name }\n    administrator { id email displayName }\n    requestedBy { id email displayName }\n  }\n": typeof types.PortalCardFieldsFragmentDoc,
    "\n  query Viewer {\n    viewer { kind isGlobalAdministrator user { id email displayName } }\n  }\n": typeof types.ViewerDocument,
    "\n  query ProvisionForm {\n    viewer { isGlobalAdministrator user { email } }\n    instances(selectableOnly: true) {\n      id\n      name\n      installedSolutions\n      baseLanguage { code }\n      languages { code name }\n      eligibleAdministrators { id displayName email }\n    }\n  }\n": typeof types.ProvisionFormDocument,
    "\n  query PortalCatalog {\n    portalCatalog {\n      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }\n    }\n  }\n": typeof types.PortalCatalogDocument,
    "\n  mutation BotRequestPortal($input: RequestPortalInput!) {\n    requestPortal(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotRequestPortalDocument,
    "\n  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {\n    updatePortalAndRestart(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotUpdatePortalAndRestartDocument,
    "\n  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {\n    acceptPortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on ValidationError { message fields { field code message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.BotAcceptTermsDocument,
    "\n  mutation BotDeclineTerms($input: PortalIdInput!) {\n    declinePortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotDeclineTermsDocument,
    "\n  mutation BotRestart($input: PortalIdInput!) {\n    restartProvisioning(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotRestartDocument,
    "\n  mutation BotRetryInstall($input: PortalIdInput!) {\n    retryPackageInstall(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotRetryInstallDocument,
    "\n  query BotPortal($id: ID, $subdomain: String) {\n    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }\n  }\n": typeof types.BotPortalDocument,
    "\n  query BotPortalSettings($id: ID!) {\n    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }\n  }\n": typeof types.BotPortalSettingsDocument,
    "\n  query BotPortalList($mine: Boolean) {\n    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }\n  }\n": typeof types.BotPortalListDocument,
    "\n  query BotTerms {\n    termsOfService { version text }\n  }\n": typeof types.BotTermsDocument,
    "\n  query BotDomainForm($subdomain: String!) {\n    portal(subdomain: $subdomain) {\n      id\n      name\n      displayName\n      status\n      notifyChannel\n      customDomain { id hostname status cnameRecord message lastCheckReason }\n    }\n    certificates { id name sans notAfter }\n    hostnames { id name inUse }\n  }\n": typeof types.BotDomainFormDocument,
    "\n  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {\n    addCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { notice customDomain { id hostname status cnameRecord cnameTarget message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotAddCustomDomainDocument,
    "\n  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {\n    checkCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotCheckCustomDomainDocument,
    "\n  query BotPortalStatus($subdomain: String!) {\n    viewer { user { id } }\n    portal(subdomain: $subdomain) { ...PortalCardFields }\n    termsOfService { version text }\n  }\n": typeof types.BotPortalStatusDocument,
    "\n  mutation BotSetNotifyChannel($input: SetPortalNotifyChannelInput!) {\n    setPortalNotifyChannel(input: $input) {\n      __typename\n      ... on PortalPayload { portal { id notifyChannel } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BotSetNotifyChannelDocument,
};
const documents: Documents = {
    "\n  fragment PortalCardFields on Portal {\n    id\n    name\n    displayName\n    status\n    subdomain\n    url\n    language\n    audience\n    portalType\n    addOns\n    features\n    resourceStatus\n    packageStatus\n    statusMessage\n    urlServes\n    lastError\n    allowedActions\n    attempt\n    notifyChannel\n    createdAt\n    updatedAt\n    provisionedAt\n    consentGrantedAt\n    instance { id name }\n    administrator { id email displayName }\n    requestedBy { id email displayName }\n  }\n": types.PortalCardFieldsFragmentDoc,
    "\n  query Viewer {\n    viewer { kind isGlobalAdministrator user { id email displayName } }\n  }\n": types.ViewerDocument,
    "\n  query ProvisionForm {\n    viewer { isGlobalAdministrator user { email } }\n    instances(selectableOnly: true) {\n      id\n      name\n      installedSolutions\n      baseLanguage { code }\n      languages { code name }\n      eligibleAdministrators { id displayName email }\n    }\n  }\n": types.ProvisionFormDocument,
    "\n  query PortalCatalog {\n    portalCatalog {\n      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }\n    }\n  }\n": types.PortalCatalogDocument,
    "\n  mutation BotRequestPortal($input: RequestPortalInput!) {\n    requestPortal(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": types.BotRequestPortalDocument,
    "\n  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {\n    updatePortalAndRestart(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": types.BotUpdatePortalAndRestartDocument,
    "\n  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {\n    acceptPortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on ValidationError { message fields { field code message } }\n      ... on Error { code message }\n    }\n  }\n": types.BotAcceptTermsDocument,
    "\n  mutation BotDeclineTerms($input: PortalIdInput!) {\n    declinePortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": types.BotDeclineTermsDocument,
    "\n  mutation BotRestart($input: PortalIdInput!) {\n    restartProvisioning(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": types.BotRestartDocument,
    "\n  mutation BotRetryInstall($input: PortalIdInput!) {\n    retryPackageInstall(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": types.BotRetryInstallDocument,
    "\n  query BotPortal($id: ID, $subdomain: String) {\n    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }\n  }\n": types.BotPortalDocument,
    "\n  query BotPortalSettings($id: ID!) {\n    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }\n  }\n": types.BotPortalSettingsDocument,
    "\n  query BotPortalList($mine: Boolean) {\n    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }\n  }\n": types.BotPortalListDocument,
    "\n  query BotTerms {\n    termsOfService { version text }\n  }\n": types.BotTermsDocument,
    "\n  query BotDomainForm($subdomain: String!) {\n    portal(subdomain: $subdomain) {\n      id\n      name\n      displayName\n      status\n      notifyChannel\n      customDomain { id hostname status cnameRecord message lastCheckReason }\n    }\n    certificates { id name sans notAfter }\n    hostnames { id name inUse }\n  }\n": types.BotDomainFormDocument,
    "\n  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {\n    addCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { notice customDomain { id hostname status cnameRecord cnameTarget message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": types.BotAddCustomDomainDocument,
    "\n  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {\n    checkCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }\n      ... on Error { message }\n    }\n  }\n": types.BotCheckCustomDomainDocument,
    "\n  query BotPortalStatus($subdomain: String!) {\n    viewer { user { id } }\n    portal(subdomain: $subdomain) { ...PortalCardFields }\n    termsOfService { version text }\n  }\n": types.BotPortalStatusDocument,
    "\n  mutation BotSetNotifyChannel($input: SetPortalNotifyChannelInput!) {\n    setPortalNotifyChannel(input: $input) {\n      __typename\n      ... on PortalPayload { portal { id notifyChannel } }\n      ... on Error { message }\n    }\n  }\n": types.BotSetNotifyChannelDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PortalCardFields on Portal {\n    id\n    name\n    displayName\n    status\n    subdomain\n    url\n    language\n    audience\n    portalType\n    addOns\n    features\n    resourceStatus\n    packageStatus\n    statusMessage\n    urlServes\n    lastError\n    allowedActions\n    attempt\n    notifyChannel\n    createdAt\n    updatedAt\n    provisionedAt\n    consentGrantedAt\n    instance { id name }\n    administrator { id email displayName }\n    requestedBy { id email displayName }\n  }\n"): (typeof documents)["\n  fragment PortalCardFields on Portal {\n    id\n    name\n    displayName\n    status\n    subdomain\n    url\n    language\n    audience\n    portalType\n    addOns\n    features\n    resourceStatus\n    packageStatus\n    statusMessage\n    urlServes\n    lastError\n    allowedActions\n    attempt\n    notifyChannel\n    createdAt\n    updatedAt\n    provisionedAt\n    consentGrantedAt\n    instance { id name }\n    administrator { id email displayName }\n    requestedBy { id email displayName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer { kind isGlobalAdministrator user { id email displayName } }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer { kind isGlobalAdministrator user { id email displayName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProvisionForm {\n    viewer { isGlobalAdministrator user { email } }\n    instances(selectableOnly: true) {\n      id\n      name\n      installedSolutions\n      baseLanguage { code }\n      languages { code name }\n      eligibleAdministrators { id displayName email }\n    }\n  }\n"): (typeof documents)["\n  query ProvisionForm {\n    viewer { isGlobalAdministrator user { email } }\n    instances(selectableOnly: true) {\n      id\n      name\n      installedSolutions\n      baseLanguage { code }\n      languages { code name }\n      eligibleAdministrators { id displayName email }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalCatalog {\n    portalCatalog {\n      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }\n    }\n  }\n"): (typeof documents)["\n  query PortalCatalog {\n    portalCatalog {\n      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotRequestPortal($input: RequestPortalInput!) {\n    requestPortal(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotRequestPortal($input: RequestPortalInput!) {\n    requestPortal(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {\n    updatePortalAndRestart(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {\n    updatePortalAndRestart(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {\n    acceptPortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on ValidationError { message fields { field code message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {\n    acceptPortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on ValidationError { message fields { field code message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotDeclineTerms($input: PortalIdInput!) {\n    declinePortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotDeclineTerms($input: PortalIdInput!) {\n    declinePortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotRestart($input: PortalIdInput!) {\n    restartProvisioning(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotRestart($input: PortalIdInput!) {\n    restartProvisioning(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotRetryInstall($input: PortalIdInput!) {\n    retryPackageInstall(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotRetryInstall($input: PortalIdInput!) {\n    retryPackageInstall(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BotPortal($id: ID, $subdomain: String) {\n    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }\n  }\n"): (typeof documents)["\n  query BotPortal($id: ID, $subdomain: String) {\n    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BotPortalSettings($id: ID!) {\n    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }\n  }\n"): (typeof documents)["\n  query BotPortalSettings($id: ID!) {\n    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BotPortalList($mine: Boolean) {\n    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }\n  }\n"): (typeof documents)["\n  query BotPortalList($mine: Boolean) {\n    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BotTerms {\n    termsOfService { version text }\n  }\n"): (typeof documents)["\n  query BotTerms {\n    termsOfService { version text }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BotDomainForm($subdomain: String!) {\n    portal(subdomain: $subdomain) {\n      id\n      name\n      displayName\n      status\n      notifyChannel\n      customDomain { id hostname status cnameRecord message lastCheckReason }\n    }\n    certificates { id name sans notAfter }\n    hostnames { id name inUse }\n  }\n"): (typeof documents)["\n  query BotDomainForm($subdomain: String!) {\n    portal(subdomain: $subdomain) {\n      id\n      name\n      displayName\n      status\n      notifyChannel\n      customDomain { id hostname status cnameRecord message lastCheckReason }\n    }\n    certificates { id name sans notAfter }\n    hostnames { id name inUse }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {\n    addCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { notice customDomain { id hostname status cnameRecord cnameTarget message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {\n    addCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { notice customDomain { id hostname status cnameRecord cnameTarget message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {\n    checkCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {\n    checkCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BotPortalStatus($subdomain: String!) {\n    viewer { user { id } }\n    portal(subdomain: $subdomain) { ...PortalCardFields }\n    termsOfService { version text }\n  }\n"): (typeof documents)["\n  query BotPortalStatus($subdomain: String!) {\n    viewer { user { id } }\n    portal(subdomain: $subdomain) { ...PortalCardFields }\n    termsOfService { version text }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BotSetNotifyChannel($input: SetPortalNotifyChannelInput!) {\n    setPortalNotifyChannel(input: $input) {\n      __typename\n      ... on PortalPayload { portal { id notifyChannel } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation BotSetNotifyChannel($input: SetPortalNotifyChannelInput!) {\n    setPortalNotifyChannel(input: $input) {\n      __typename\n      ... on PortalPayload { portal { id notifyChannel } }\n      ... on Error { message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;