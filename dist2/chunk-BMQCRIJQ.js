import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  SLACK_USER_HEADER
} from "./chunk-JYRYH5OX.js";
import {
  require_graphql
} from "./chunk-AWEWKH4D.js";
import {
  __toESM
} from "./chunk-VF57VZD3.js";

// bot/api.ts
var import_graphql = __toESM(require_graphql(), 1);
var ApiError = class extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
  status;
  name = "ApiError";
};
function unwrap(status, body) {
  if (body.errors?.length || !body.data) {
    throw new ApiError(body.errors?.[0]?.message ?? `The portal API answered ${status}.`, status);
  }
  return body.data;
}
var printed = /* @__PURE__ */ new WeakMap();
function text(document) {
  let query = printed.get(document);
  if (!query) printed.set(document, query = (0, import_graphql.print)(document));
  return query;
}
function inProcessApi(yoga) {
  return {
    async run(caller, document, variables) {
      const initial = "service" in caller ? { actor: { kind: "service", name: caller.service, scopes: ["read"] } } : { slackUserId: caller.slackUserId };
      const { validate, contextFactory, execute, schema } = yoga.getEnveloped(initial);
      const invalid = validate(schema, document);
      if (invalid.length > 0) throw new ApiError(invalid[0]?.message ?? "The operation is not valid.", 400);
      let contextValue;
      try {
        contextValue = await contextFactory();
      } catch (error) {
        if (error instanceof import_graphql.GraphQLError) throw new ApiError(error.message, error.extensions.http?.status ?? 500);
        throw error;
      }
      const result = await execute({ schema, document, variableValues: variables, contextValue });
      return unwrap(200, result);
    }
  };
}
function remoteApi(url, token) {
  return {
    async run(caller, document, variables) {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          ..."slackUserId" in caller ? { [SLACK_USER_HEADER]: caller.slackUserId } : {}
        },
        body: JSON.stringify({ query: text(document), variables }),
        signal: AbortSignal.timeout(1e4)
      });
      return unwrap(response.status, await response.json());
    }
  };
}

export {
  ApiError,
  inProcessApi,
  remoteApi
};
