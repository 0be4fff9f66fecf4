// Who may send what to the endpoint from a browser. A form post or a multipart upload is a "simple"
// request a foreign page can make without asking, carrying whatever the browser holds for us; a JSON
// body needs a CORS preflight, which only the origins an operator lists pass.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const JSON_ONLY_MESSAGE = 'Send the GraphQL request as JSON, with the header Content-Type: application/json.';

/** Refuses a POST whose body is not JSON (forms, multipart, application/graphql, none) with 415. */
export function useJsonPostsOnly(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method.toUpperCase() !== 'POST') return;
      // Yoga's JSON parser takes the media type in lower case only; anything else would end in an empty 415.
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim();
      if (mediaType !== 'application/json') {
        throw createGraphQLError(JSON_ONLY_MESSAGE, { extensions: { http: { status: 415 }, code: 'UNSUPPORTED_MEDIA_TYPE' } });
      }
    },
  };
}

/**
 * CORS answers for the listed origins only, and none at all without a list. Tokens travel in the
 * Authorization header, never in cookies, so credentials are not allowed.
 */
export function corsFor(origins: readonly string[] = []) {
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false as const;
    return { origin: [origin], methods: ['GET', 'POST'], allowedHeaders: ['Authorization', 'Content-Type'], credentials: false, maxAge: 600 };
  };
}
