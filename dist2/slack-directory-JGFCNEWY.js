import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  require_dist3 as require_dist
} from "./chunk-D75S2DMK.js";
import {
  __toESM
} from "./chunk-VF57VZD3.js";

// bot/slack-directory.ts
var import_web_api = __toESM(require_dist(), 1);
var TTL_MS = 5 * 6e4;
function slackEmailLookup(client) {
  const cache = /* @__PURE__ */ new Map();
  return async (slackUserId) => {
    const hit = cache.get(slackUserId);
    if (hit && hit.until > Date.now()) return hit.email;
    const answer = await client.users.info({ user: slackUserId });
    const email = answer.user?.profile?.email ?? void 0;
    cache.set(slackUserId, { email, until: Date.now() + TTL_MS });
    return email;
  };
}
function slackWebClient(token, apiUrl) {
  return new import_web_api.WebClient(token, {
    ...apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {},
    retryConfig: { retries: 2 }
  });
}
function deliveryClient(token, apiUrl) {
  return new import_web_api.WebClient(token, {
    ...apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {},
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 5e3
  });
}
export {
  deliveryClient,
  slackEmailLookup,
  slackWebClient
};
