// Who may send what to the endpoint from a browser. A form post or a multipart upload is a "simple"
// request a foreign page can make without asking, carrying whatever the browser holds for us; a JSON
// body needs a CORS preflight, which only the origins an operator lists pass.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const JSON_ONLY_MESSAGE = 'Send the GraphQL request as JSON, with the header Content-Type: application/json.';

const badRequest = (message: string) => createGraphQLError(message, { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });

// A JSON syntax error names what it could not read, which may be a password or a .pfx, so the answer
// only says where the body or parameter went wrong.
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = error instanceof Error ? /at position (\d+)/.exec(error.message)?.[1] : undefined;
    throw badRequest(`${what} is not valid JSON${at === undefined ? '' : ` (at character ${at})`}.`);
  }
}

async function parseJsonBody(request: Request) {
  const body = parseJson(await request.text(), 'The request body');
  if (body === null || typeof body !== 'object') throw badRequest('The request body must be a JSON object with a "query".');
  // Yoga answers "Batching is not supported." for an array, as it would from its own parser.
  return body as Record<string, unknown>;
}

/**
 * Refuses a POST whose body is not JSON (forms, multipart, application/graphql, none) with 415. A media
 * type is case-insensitive and may have spaces before its parameters; Yoga's own JSON parser takes only
 * the exact lower-case spelling, and its syntax errors quote the body, so JSON is read here.
 */
export function useJsonPostsOnly(): Plugin {
  return {
    onRequestParse({ request, url, setRequestParser }) {
      const method = request.method.toUpperCase();
      if (method === 'GET') {
        // Yoga reads these with JSON.parse and lets a syntax error through as a 500.
        for (const name of ['variables', 'extensions']) {
          const value = url.searchParams.get(name);
          if (value) parseJson(value, `The ${name} parameter`);
        }
        return;
      }
      if (method !== 'POST') return;
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/json') {
        throw createGraphQLError(JSON_ONLY_MESSAGE, { extensions: { http: { status: 415 }, code: 'UNSUPPORTED_MEDIA_TYPE' } });
      }
      setRequestParser(parseJsonBody);
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
