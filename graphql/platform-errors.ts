// The portal platform out of reach (Microsoft unreachable, throttling past its patience, or no
// administrator signed in to Microsoft) is told to the client as what it is, with HTTP 503 and a
// code to branch on, instead of "Unexpected error.". The message says what to do (for a missing
// sign-in: run npm run platform -- login); it never holds a token. Told apart by name: graphql/
// sees the platform through core only.
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

export const PLATFORM_UNAVAILABLE = 'PLATFORM_UNAVAILABLE';

const UNAVAILABLE_ERRORS = new Set(['PlatformUnavailableError', 'SignInRequiredError']);
const RETRY_AFTER_SECONDS = 30;

/** The client's answer for an error of an unavailable platform, or undefined for any other error. */
export function platformUnavailable(error: unknown): GraphQLError | undefined {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  if (!(original instanceof Error) || !UNAVAILABLE_ERRORS.has(original.name)) return undefined;
  return createGraphQLError(`The portal platform is unavailable: ${original.message.slice(0, 500)}`, {
    extensions: { code: PLATFORM_UNAVAILABLE, http: { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } } },
  });
}
