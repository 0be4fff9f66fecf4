// Every GraphQL operation the Slack surface uses. Their result types are generated (npm run codegen).
import { graphql } from './gql/index.ts';

export const PortalCardFields = graphql(`
  fragment PortalCardFields on Portal {
    id
    name
    displayName
    status
    subdomain
    url
    language
    audience
    portalType
    addOns
    features
    resourceStatus
    packageStatus
    statusMessage
    urlServes
    lastError
    allowedActions
    attempt
    notifyChannel
    createdAt
    updatedAt
    provisionedAt
    consentGrantedAt
    instance { id name }
    administrator { id email displayName }
    requestedBy { id email displayName }
  }
`);

export const ViewerQuery = graphql(`
  query Viewer {
    viewer { kind isGlobalAdministrator user { id email displayName } }
  }
`);

export const ProvisionFormQuery = graphql(`
  query ProvisionForm {
    viewer { isGlobalAdministrator user { email } }
    instances(selectableOnly: true) {
      id
      name
      installedSolutions
      baseLanguage { code }
      languages { code name }
      eligibleAdministrators { id displayName email }
    }
  }
`);

// The catalog is the product's own data and changes only with a release: the bot reads it once in a while.
export const PortalCatalogQuery = graphql(`
  query PortalCatalog {
    portalCatalog {
      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }
    }
  }
`);

export const RequestPortalMutation = graphql(`
  mutation BotRequestPortal($input: RequestPortalInput!) {
    requestPortal(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);

export const UpdatePortalAndRestartMutation = graphql(`
  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {
    updatePortalAndRestart(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } warnings { field message } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);

export const AcceptTermsMutation = graphql(`
  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {
    acceptPortalTerms(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on ValidationError { message fields { field code message } }
      ... on Error { code message }
    }
  }
`);

export const DeclineTermsMutation = graphql(`
  mutation BotDeclineTerms($input: PortalIdInput!) {
    declinePortalTerms(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);

export const RestartMutation = graphql(`
  mutation BotRestart($input: PortalIdInput!) {
    restartProvisioning(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);

export const RetryInstallMutation = graphql(`
  mutation BotRetryInstall($input: PortalIdInput!) {
    retryPackageInstall(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);

export const PortalQuery = graphql(`
  query BotPortal($id: ID, $subdomain: String) {
    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }
  }
`);

export const PortalSettingsQuery = graphql(`
  query BotPortalSettings($id: ID!) {
    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }
  }
`);

export const PortalListQuery = graphql(`
  query BotPortalList($mine: Boolean) {
    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }
  }
`);

export const TermsQuery = graphql(`
  query BotTerms {
    termsOfService { version text }
  }
`);

export const DomainFormQuery = graphql(`
  query BotDomainForm($subdomain: String!) {
    portal(subdomain: $subdomain) {
      id
      name
      displayName
      status
      notifyChannel
      customDomain { id hostname status cnameRecord message lastCheckReason }
    }
    certificates { id name sans notAfter }
    hostnames { id name inUse }
  }
`);

export const AddCustomDomainMutation = graphql(`
  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {
    addCustomDomain(input: $input) {
      __typename
      ... on CustomDomainPayload { notice customDomain { id hostname status cnameRecord cnameTarget message } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);

export const CheckCustomDomainMutation = graphql(`
  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {
    checkCustomDomain(input: $input) {
      __typename
      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }
      ... on Error { message }
    }
  }
`);

// /portal status: the card, and for its requester while the terms wait, the terms to answer.
export const PortalStatusQuery = graphql(`
  query BotPortalStatus($subdomain: String!) {
    viewer { user { id } }
    portal(subdomain: $subdomain) { ...PortalCardFields }
    termsOfService { version text }
  }
`);

export const SetNotifyChannelMutation = graphql(`
  mutation BotSetNotifyChannel($input: SetPortalNotifyChannelInput!) {
    setPortalNotifyChannel(input: $input) {
      __typename
      ... on PortalPayload { portal { id notifyChannel } }
      ... on Error { message }
    }
  }
`);
