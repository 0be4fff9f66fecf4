import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// bot/blocks/common.ts
var LIMITS = {
  modalTitle: 24,
  buttonText: 75,
  optionText: 75,
  optionsPerMenu: 100,
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3e3,
  contextElements: 10,
  privateMetadata: 3e3,
  headerText: 150
};
var ACTION = {
  acceptTerms: "terms_accept",
  declineTerms: "terms_decline",
  restart: "portal_restart",
  changeValues: "portal_change_values",
  retryInstall: "portal_retry_install",
  instance: "instance_select",
  audience: "audience_select",
  portalType: "portal_type_select",
  checkDomain: "domain_check_now"
};
var PROVISION_CALLBACK = "provision_portal";
function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}
function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function plain(text, max = LIMITS.optionText) {
  return { type: "plain_text", text: truncate(text, max), emoji: true };
}
function option(text, value) {
  return { text: plain(text, LIMITS.optionText), value };
}
function sections(markdown) {
  const blocks = [];
  let rest = markdown;
  while (rest.length > 0) {
    let cut = rest.length <= LIMITS.sectionText ? rest.length : rest.lastIndexOf("\n", LIMITS.sectionText);
    if (cut <= 0) cut = LIMITS.sectionText;
    blocks.push({ type: "section", text: { type: "mrkdwn", text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  return blocks;
}
function context(text) {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.sectionText) }] };
}
function button(text, actionId, value, style) {
  return { type: "button", text: plain(text, LIMITS.buttonText), action_id: actionId, value, ...style ? { style } : {} };
}

// bot/blocks/portal-card.ts
var STATUS_WORDS = {
  AWAITING_TERMS: "Waiting for the terms of service",
  CONFIGURING: "Configuring",
  PROVISIONED: "Provisioned",
  PROVISIONING_FAILED: "Provisioning failed",
  DECLINED: "Terms declined"
};
function steps(portal) {
  const resources = portal.resourceStatus === "CREATED" ? "\u2713" : portal.resourceStatus === "FAILED" ? "\u2717" : portal.resourceStatus === "CREATING" && portal.status === "CONFIGURING" ? "\u23F3" : "\xB7";
  const pkg = portal.packageStatus === "INSTALLED" ? "\u2713" : portal.packageStatus === "INSTALL_FAILED" ? "\u2717" : portal.status === "CONFIGURING" && portal.resourceStatus === "CREATED" ? "\u23F3" : "\xB7";
  const done = portal.status === "PROVISIONED" ? "\u2713" : portal.status === "PROVISIONING_FAILED" ? "\u2717" : "\xB7";
  return [
    { step: "Portal URL", mark: resources },
    { step: "Package installation", mark: pkg },
    { step: "Provisioned", mark: done }
  ];
}
function elapsed(fromIso, toIso, now = Date.now()) {
  if (!fromIso) return void 0;
  const seconds = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : now) - Date.parse(fromIso)) / 1e3));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
var ACTION_BUTTONS = {
  RESTART_PROVISIONING: { text: "Restart Provisioning", actionId: ACTION.restart, style: "primary" },
  UPDATE_AND_RESTART: { text: "Change Values and Restart Provisioning", actionId: ACTION.changeValues, style: void 0 },
  RETRY_PACKAGE_INSTALL: { text: "Retry installation", actionId: ACTION.retryInstall, style: void 0 }
};
function actionButtons(portal) {
  const buttons = portal.allowedActions.filter((a) => a in ACTION_BUTTONS).map((a) => button(ACTION_BUTTONS[a].text, ACTION_BUTTONS[a].actionId, portal.id, ACTION_BUTTONS[a].style));
  return buttons.length > 0 ? [{ type: "actions", block_id: `portal_actions`, elements: buttons }] : [];
}
function portalCard(portal, options = {}) {
  const time = elapsed(portal.consentGrantedAt ?? null, portal.provisionedAt ?? (portal.status === "PROVISIONING_FAILED" ? portal.updatedAt : null), options.now);
  const stepLine = steps(portal).map((s) => `${s.mark} ${s.step}`).join("   ");
  const blocks = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*${escape(portal.displayName)}* \xB7 ${STATUS_WORDS[portal.status]}
<${portal.url}|${portal.url.replace(/^https:\/\//, "")}>`,
          3e3
        )
      }
    },
    { type: "section", text: { type: "mrkdwn", text: `${stepLine}${time ? `   \xB7   ${time}` : ""}` } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Instance*
${escape(portal.instance?.name ?? "\u2014")}` },
        { type: "mrkdwn", text: `*Administrator*
${escape(portal.administrator?.email ?? "\u2014")}` },
        { type: "mrkdwn", text: `*Audience / type*
${portal.audience} \xB7 ${portal.portalType.replaceAll("_", " ")}` },
        { type: "mrkdwn", text: `*Language*
${portal.language}` }
      ]
    }
  ];
  if (portal.statusMessage) blocks.push(context(escape(portal.statusMessage)));
  if (portal.status === "PROVISIONING_FAILED" && portal.lastError) blocks.push(context(`:warning: ${escape(portal.lastError)}`));
  if (options.withActions) blocks.push(...actionButtons(portal));
  return blocks;
}
function failureAlert(portal, reason) {
  const pkg = portal.packageStatus === "INSTALL_FAILED";
  return [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `:rotating_light: *${escape(portal.displayName)}*
${pkg ? "The package installation failed" : "Creating the portal URL failed"}: ${escape(reason)}`,
          3e3
        )
      }
    },
    ...actionButtons(portal)
  ];
}
function statusText(portal) {
  return `${portal.displayName}: ${STATUS_WORDS[portal.status]}`;
}

// bot/gql/graphql.ts
var PortalCardFieldsFragmentDoc = { "kind": "Document", "definitions": [{ "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var ViewerDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "Viewer" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "viewer" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "kind" } }, { "kind": "Field", "name": { "kind": "Name", "value": "isGlobalAdministrator" } }, { "kind": "Field", "name": { "kind": "Name", "value": "user" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] } }] };
var ProvisionFormDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "ProvisionForm" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "viewer" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "isGlobalAdministrator" } }, { "kind": "Field", "name": { "kind": "Name", "value": "user" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "email" } }] } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "instances" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "selectableOnly" }, "value": { "kind": "BooleanValue", "value": true } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "installedSolutions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "languages" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "code" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "eligibleAdministrators" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }] } }] } }] } }] };
var PortalCatalogDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "PortalCatalog" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portalCatalog" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "audiences" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "key" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalTypes" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "key" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "key" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "requiredSolutions" } }] } }] } }] } }] } }] } }] };
var BotRequestPortalDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotRequestPortal" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "RequestPortalInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "requestPortal" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "ValidationError" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }, { "kind": "Field", "name": { "kind": "Name", "value": "fields" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "field" } }, { "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotUpdatePortalAndRestartDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotUpdatePortalAndRestart" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "UpdatePortalAndRestartInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "updatePortalAndRestart" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "ValidationError" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }, { "kind": "Field", "name": { "kind": "Name", "value": "fields" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "field" } }, { "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotAcceptTermsDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotAcceptTerms" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "AcceptPortalTermsInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "acceptPortalTerms" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotDeclineTermsDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotDeclineTerms" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalIdInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "declinePortalTerms" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotRestartDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotRestart" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalIdInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "restartProvisioning" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotRetryInstallDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotRetryInstall" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalIdInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "retryPackageInstall" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "PortalPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotPortalDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "BotPortal" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "id" } }, "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "ID" } } }, { "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "subdomain" } }, "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "String" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "id" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "id" } } }, { "kind": "Argument", "name": { "kind": "Name", "value": "subdomain" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "subdomain" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotPortalSettingsDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "BotPortalSettings" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "id" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "ID" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "id" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "id" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }] } }] } }] } }] };
var BotPortalListDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "BotPortalList" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "mine" } }, "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "Boolean" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portals" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "first" }, "value": { "kind": "IntValue", "value": "50" } }, { "kind": "Argument", "name": { "kind": "Name", "value": "mine" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "mine" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "totalCount" } }, { "kind": "Field", "name": { "kind": "Name", "value": "nodes" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "FragmentSpread", "name": { "kind": "Name", "value": "PortalCardFields" } }] } }] } }] } }, { "kind": "FragmentDefinition", "name": { "kind": "Name", "value": "PortalCardFields" }, "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Portal" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "subdomain" } }, { "kind": "Field", "name": { "kind": "Name", "value": "url" } }, { "kind": "Field", "name": { "kind": "Name", "value": "language" } }, { "kind": "Field", "name": { "kind": "Name", "value": "audience" } }, { "kind": "Field", "name": { "kind": "Name", "value": "portalType" } }, { "kind": "Field", "name": { "kind": "Name", "value": "addOns" } }, { "kind": "Field", "name": { "kind": "Name", "value": "features" } }, { "kind": "Field", "name": { "kind": "Name", "value": "resourceStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "packageStatus" } }, { "kind": "Field", "name": { "kind": "Name", "value": "statusMessage" } }, { "kind": "Field", "name": { "kind": "Name", "value": "urlServes" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastError" } }, { "kind": "Field", "name": { "kind": "Name", "value": "allowedActions" } }, { "kind": "Field", "name": { "kind": "Name", "value": "attempt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "createdAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "updatedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "provisionedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "consentGrantedAt" } }, { "kind": "Field", "name": { "kind": "Name", "value": "instance" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "administrator" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "requestedBy" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "email" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }] } }] } }] };
var BotTermsDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "BotTerms" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "termsOfService" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "version" } }, { "kind": "Field", "name": { "kind": "Name", "value": "text" } }] } }] } }] };
var BotDomainFormDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "query", "name": { "kind": "Name", "value": "BotDomainForm" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "subdomain" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "String" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "portal" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "subdomain" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "subdomain" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "displayName" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notifyChannel" } }, { "kind": "Field", "name": { "kind": "Name", "value": "customDomain" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "hostname" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "cnameRecord" } }, { "kind": "Field", "name": { "kind": "Name", "value": "message" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastCheckReason" } }] } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "certificates" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "sans" } }, { "kind": "Field", "name": { "kind": "Name", "value": "notAfter" } }] } }, { "kind": "Field", "name": { "kind": "Name", "value": "hostnames" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "name" } }, { "kind": "Field", "name": { "kind": "Name", "value": "inUse" } }] } }] } }] };
var BotAddCustomDomainDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotAddCustomDomain" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "AddCustomDomainInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "addCustomDomain" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "CustomDomainPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "customDomain" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "hostname" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "cnameRecord" } }, { "kind": "Field", "name": { "kind": "Name", "value": "cnameTarget" } }, { "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "ValidationError" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }, { "kind": "Field", "name": { "kind": "Name", "value": "fields" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "field" } }, { "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }] };
var BotCheckCustomDomainDocument = { "kind": "Document", "definitions": [{ "kind": "OperationDefinition", "operation": "mutation", "name": { "kind": "Name", "value": "BotCheckCustomDomain" }, "variableDefinitions": [{ "kind": "VariableDefinition", "variable": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } }, "type": { "kind": "NonNullType", "type": { "kind": "NamedType", "name": { "kind": "Name", "value": "CustomDomainIdInput" } } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "checkCustomDomain" }, "arguments": [{ "kind": "Argument", "name": { "kind": "Name", "value": "input" }, "value": { "kind": "Variable", "name": { "kind": "Name", "value": "input" } } }], "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "__typename" } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "CustomDomainPayload" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "customDomain" }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "id" } }, { "kind": "Field", "name": { "kind": "Name", "value": "hostname" } }, { "kind": "Field", "name": { "kind": "Name", "value": "status" } }, { "kind": "Field", "name": { "kind": "Name", "value": "cnameRecord" } }, { "kind": "Field", "name": { "kind": "Name", "value": "message" } }, { "kind": "Field", "name": { "kind": "Name", "value": "lastCheckReason" } }, { "kind": "Field", "name": { "kind": "Name", "value": "pointsTo" } }] } }] } }, { "kind": "InlineFragment", "typeCondition": { "kind": "NamedType", "name": { "kind": "Name", "value": "Error" } }, "selectionSet": { "kind": "SelectionSet", "selections": [{ "kind": "Field", "name": { "kind": "Name", "value": "message" } }] } }] } }] } }] };

// bot/gql/gql.ts
var documents = {
  "\n  fragment PortalCardFields on Portal {\n    id\n    name\n    displayName\n    status\n    subdomain\n    url\n    language\n    audience\n    portalType\n    addOns\n    features\n    resourceStatus\n    packageStatus\n    statusMessage\n    urlServes\n    lastError\n    allowedActions\n    attempt\n    notifyChannel\n    createdAt\n    updatedAt\n    provisionedAt\n    consentGrantedAt\n    instance { id name }\n    administrator { id email displayName }\n    requestedBy { id email displayName }\n  }\n": PortalCardFieldsFragmentDoc,
  "\n  query Viewer {\n    viewer { kind isGlobalAdministrator user { id email displayName } }\n  }\n": ViewerDocument,
  "\n  query ProvisionForm {\n    viewer { isGlobalAdministrator user { email } }\n    instances(selectableOnly: true) {\n      id\n      name\n      installedSolutions\n      languages { code name }\n      eligibleAdministrators { id displayName email }\n    }\n  }\n": ProvisionFormDocument,
  "\n  query PortalCatalog {\n    portalCatalog {\n      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }\n    }\n  }\n": PortalCatalogDocument,
  "\n  mutation BotRequestPortal($input: RequestPortalInput!) {\n    requestPortal(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": BotRequestPortalDocument,
  "\n  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {\n    updatePortalAndRestart(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": BotUpdatePortalAndRestartDocument,
  "\n  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {\n    acceptPortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": BotAcceptTermsDocument,
  "\n  mutation BotDeclineTerms($input: PortalIdInput!) {\n    declinePortalTerms(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": BotDeclineTermsDocument,
  "\n  mutation BotRestart($input: PortalIdInput!) {\n    restartProvisioning(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": BotRestartDocument,
  "\n  mutation BotRetryInstall($input: PortalIdInput!) {\n    retryPackageInstall(input: $input) {\n      __typename\n      ... on PortalPayload { portal { ...PortalCardFields } }\n      ... on Error { message }\n    }\n  }\n": BotRetryInstallDocument,
  "\n  query BotPortal($id: ID, $subdomain: String) {\n    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }\n  }\n": BotPortalDocument,
  "\n  query BotPortalSettings($id: ID!) {\n    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }\n  }\n": BotPortalSettingsDocument,
  "\n  query BotPortalList($mine: Boolean) {\n    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }\n  }\n": BotPortalListDocument,
  "\n  query BotTerms {\n    termsOfService { version text }\n  }\n": BotTermsDocument,
  "\n  query BotDomainForm($subdomain: String!) {\n    portal(subdomain: $subdomain) {\n      id\n      name\n      displayName\n      status\n      notifyChannel\n      customDomain { id hostname status cnameRecord message lastCheckReason }\n    }\n    certificates { id name sans notAfter }\n    hostnames { id name inUse }\n  }\n": BotDomainFormDocument,
  "\n  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {\n    addCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord cnameTarget message } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": BotAddCustomDomainDocument,
  "\n  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {\n    checkCustomDomain(input: $input) {\n      __typename\n      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }\n      ... on Error { message }\n    }\n  }\n": BotCheckCustomDomainDocument
};
function graphql(source) {
  return documents[source] ?? {};
}

// bot/operations.ts
var PortalCardFields = graphql(`
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
var ViewerQuery = graphql(`
  query Viewer {
    viewer { kind isGlobalAdministrator user { id email displayName } }
  }
`);
var ProvisionFormQuery = graphql(`
  query ProvisionForm {
    viewer { isGlobalAdministrator user { email } }
    instances(selectableOnly: true) {
      id
      name
      installedSolutions
      languages { code name }
      eligibleAdministrators { id displayName email }
    }
  }
`);
var PortalCatalogQuery = graphql(`
  query PortalCatalog {
    portalCatalog {
      audiences { key name portalTypes { key name features addOns { key name requiredSolutions } } }
    }
  }
`);
var RequestPortalMutation = graphql(`
  mutation BotRequestPortal($input: RequestPortalInput!) {
    requestPortal(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);
var UpdatePortalAndRestartMutation = graphql(`
  mutation BotUpdatePortalAndRestart($input: UpdatePortalAndRestartInput!) {
    updatePortalAndRestart(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);
var AcceptTermsMutation = graphql(`
  mutation BotAcceptTerms($input: AcceptPortalTermsInput!) {
    acceptPortalTerms(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);
var DeclineTermsMutation = graphql(`
  mutation BotDeclineTerms($input: PortalIdInput!) {
    declinePortalTerms(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);
var RestartMutation = graphql(`
  mutation BotRestart($input: PortalIdInput!) {
    restartProvisioning(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);
var RetryInstallMutation = graphql(`
  mutation BotRetryInstall($input: PortalIdInput!) {
    retryPackageInstall(input: $input) {
      __typename
      ... on PortalPayload { portal { ...PortalCardFields } }
      ... on Error { message }
    }
  }
`);
var PortalQuery = graphql(`
  query BotPortal($id: ID, $subdomain: String) {
    portal(id: $id, subdomain: $subdomain) { ...PortalCardFields }
  }
`);
var PortalSettingsQuery = graphql(`
  query BotPortalSettings($id: ID!) {
    portal(id: $id) { id name subdomain language audience portalType addOns instance { id } administrator { id } }
  }
`);
var PortalListQuery = graphql(`
  query BotPortalList($mine: Boolean) {
    portals(first: 50, mine: $mine) { totalCount nodes { ...PortalCardFields } }
  }
`);
var TermsQuery = graphql(`
  query BotTerms {
    termsOfService { version text }
  }
`);
var DomainFormQuery = graphql(`
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
var AddCustomDomainMutation = graphql(`
  mutation BotAddCustomDomain($input: AddCustomDomainInput!) {
    addCustomDomain(input: $input) {
      __typename
      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord cnameTarget message } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);
var CheckCustomDomainMutation = graphql(`
  mutation BotCheckCustomDomain($input: CustomDomainIdInput!) {
    checkCustomDomain(input: $input) {
      __typename
      ... on CustomDomainPayload { customDomain { id hostname status cnameRecord message lastCheckReason pointsTo } }
      ... on Error { message }
    }
  }
`);

// bot/blocks/domain.ts
var DOMAIN_CALLBACK = "custom_domain";
var DOMAIN_BLOCK = {
  hostname: "hostname_new",
  existingHostname: "hostname_existing",
  file: "certificate_file",
  password: "certificate_password",
  certificateName: "certificate_name",
  existingCertificate: "certificate_existing"
};
function domainBlockForField(field) {
  switch (field) {
    case "hostnameId":
      return DOMAIN_BLOCK.existingHostname;
    case "certificateId":
      return DOMAIN_BLOCK.existingCertificate;
    case "certificateName":
      return DOMAIN_BLOCK.certificateName;
    case "certificate":
      return DOMAIN_BLOCK.file;
    default:
      return DOMAIN_BLOCK.hostname;
  }
}
function domainModal(form, meta) {
  const freeHostnames = form.hostnames.filter((h) => !h.inUse);
  const blocks = [
    context(`Add the custom domain of *${escape(form.portal?.displayName ?? "")}*. Only one custom domain can be added to a portal.`),
    {
      type: "input",
      block_id: DOMAIN_BLOCK.hostname,
      optional: true,
      label: plain("Add a new host name"),
      hint: plain("For example support.contoso.com. You will create a CNAME from it to the portal URL.", 150),
      element: { type: "plain_text_input", action_id: "value", max_length: 253 }
    }
  ];
  if (freeHostnames.length > 0) {
    blocks.push({
      type: "input",
      block_id: DOMAIN_BLOCK.existingHostname,
      optional: true,
      label: plain("\u2026or use an existing host name"),
      element: { type: "static_select", action_id: "value", placeholder: plain("Choose a host name"), options: freeHostnames.slice(0, LIMITS.optionsPerMenu).map((h) => option(h.name, h.id)) }
    });
  }
  blocks.push(
    {
      type: "input",
      block_id: DOMAIN_BLOCK.file,
      optional: true,
      label: plain("Upload a new certificate (.pfx)"),
      element: { type: "file_input", action_id: "value", filetypes: ["pfx", "p12"], max_files: 1 }
    },
    {
      type: "input",
      block_id: DOMAIN_BLOCK.password,
      optional: true,
      label: plain("Password of the .pfx"),
      hint: plain("Used once to open the file; never stored.", 150),
      element: { type: "plain_text_input", action_id: "value", max_length: 200 }
    },
    {
      type: "input",
      block_id: DOMAIN_BLOCK.certificateName,
      optional: true,
      label: plain("Name of the new certificate"),
      element: { type: "plain_text_input", action_id: "value", max_length: 100 }
    }
  );
  if (form.certificates.length > 0) {
    blocks.push({
      type: "input",
      block_id: DOMAIN_BLOCK.existingCertificate,
      optional: true,
      label: plain("\u2026or use an existing certificate"),
      element: {
        type: "static_select",
        action_id: "value",
        placeholder: plain("Choose a certificate"),
        options: form.certificates.slice(0, LIMITS.optionsPerMenu).map((c) => option(`${c.name} (${c.sans.slice(0, 3).join(", ")}; until ${c.notAfter.slice(0, 10)})`, c.id))
      }
    });
  }
  return {
    type: "modal",
    callback_id: DOMAIN_CALLBACK,
    title: plain("Add a custom domain", LIMITS.modalTitle),
    submit: plain("Next", 24),
    close: plain("Cancel", 24),
    private_metadata: JSON.stringify(meta),
    blocks
  };
}
function cnameInstructions(domain) {
  return [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(`${escape(domain.message ?? "")}
Create this record with your DNS provider:
\`\`\`${domain.cnameRecord}\`\`\``, LIMITS.sectionText)
      }
    },
    context("It is checked each minute for the first hour, then less often; progress is posted in the portal\u2019s thread."),
    { type: "actions", block_id: "domain_actions", elements: [button("Check now", ACTION.checkDomain, domain.id, "primary")] }
  ];
}
function domainAlert(message, domainId) {
  return [
    { type: "section", text: { type: "mrkdwn", text: truncate(`:rotating_light: ${escape(message)}`, LIMITS.sectionText) } },
    ...domainId ? [{ type: "actions", block_id: "domain_actions", elements: [button("Check now", ACTION.checkDomain, domainId, "primary")] }] : []
  ];
}

export {
  LIMITS,
  ACTION,
  PROVISION_CALLBACK,
  truncate,
  escape,
  plain,
  option,
  sections,
  context,
  button,
  portalCard,
  failureAlert,
  statusText,
  ProvisionFormQuery,
  PortalCatalogQuery,
  RequestPortalMutation,
  UpdatePortalAndRestartMutation,
  AcceptTermsMutation,
  DeclineTermsMutation,
  RestartMutation,
  RetryInstallMutation,
  PortalQuery,
  PortalSettingsQuery,
  PortalListQuery,
  TermsQuery,
  DomainFormQuery,
  AddCustomDomainMutation,
  CheckCustomDomainMutation,
  DOMAIN_CALLBACK,
  DOMAIN_BLOCK,
  domainBlockForField,
  domainModal,
  cnameInstructions,
  domainAlert
};
