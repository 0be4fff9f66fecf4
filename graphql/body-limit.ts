// The request body cap, without a stream per request when the body's length is already known.
//
// Yoga's own cap (maxRequestBodySize) pipes every body through a TransformStream and builds a new
// Request around it, which costs more than a small query takes to run. A body that declares its
// length (Content-Length, not encoded) cannot be longer than that: Node's HTTP parser reads exactly
// that many bytes and refuses a request that also says Transfer-Encoding, and an in-process Request
// made from a string sets it from the string. So a declared length is checked against the cap and
// the body read as it is; any other body (chunked, or compressed so its length says nothing about
// what it expands to) is counted as it streams, as Yoga does.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * One cap whatever the framing: the HTTP server refuses a declared length over it before reading, and
 * this plugin counts a chunked or encoded body against the same number as it streams.
 */
export const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;

function tooLarge(limit: number) {
  return createGraphQLError(`The request body is larger than ${limit} bytes.`, {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });
}

// Only one non-negative integer is a valid Content-Length; anything else (as in request smuggling) is refused.
const CONTENT_LENGTH = /^\d+$/;

/** The body of `request`, failing once more than `limit` bytes have streamed through. */
function countedRequest(request: Request, body: ReadableStream<Uint8Array>, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  let read = 0;
  // A native stream (undici) needs the native TransformStream; the ponyfill needs its own.
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    // @ts-expect-error Node needs it for a streamed body; the DOM types do not know it.
    duplex: 'half',
  });
}

/** Must come after every plugin that registers a request parser, so it wraps the one chosen. */
export function useBodyLimit(limit = MAX_GRAPHQL_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!CONTENT_LENGTH.test(declared)) {
          throw createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        }
        if (Number(declared) > limit) throw tooLarge(limit);
      }
      const encoding = request.headers.get('content-encoding');
      const lengthIsKnown = declared !== null && (encoding === null || encoding.trim().toLowerCase() === 'identity');
      if (!requestParser || lengthIsKnown) return;
      const parse = requestParser;
      setRequestParser((req) => {
        const body = req.body;
        return parse(body ? countedRequest(req, body, limit, fetchAPI) : req);
      });
    },
  };
}
