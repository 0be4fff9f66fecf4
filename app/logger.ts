// Structured logs. Anything that could carry a secret is redacted at the source, whatever the caller logs.
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'pfx',
  '*.pfx',
  'privateKey',
  '*.privateKey',
  'secret',
  '*.secret',
];

/** Keys whose value is a secret at any depth: a GraphQL variable or an error's details can nest them. */
const SECRET_KEYS = new Set(
  ['authorization', 'token', 'password', 'passphrase', 'pfx', 'pfxBase64', 'privateKey', 'secret', 'secretKey', 'cookie'].map((k) => k.toLowerCase()),
);
const CENSOR = '[redacted]';
const MAX_DEPTH = 12;

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of `value` with every secret key censored, however deep. Only plain objects and arrays are
 * walked (errors go through the err serializer, which is scrubbed too); past MAX_DEPTH nothing is kept,
 * since what is there cannot be checked.
 */
export function withoutSecrets(value: unknown, depth = 0, serializedError = false): unknown {
  if (value === null || typeof value !== 'object') return value;
  // A serialized error (and its cause) has pino's own prototype; its properties are walked like a plain object's.
  if (!Array.isArray(value) && !isPlain(value) && !(serializedError && !(value instanceof Date) && !Buffer.isBuffer(value))) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1, serializedError));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    copy[key] = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : withoutSecrets(item, depth + 1, serializedError);
  return copy;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    base: { service: 'portal-ops' },
    formatters: { log: (object) => withoutSecrets(object) as Record<string, unknown> },
    serializers: { err: (error) => withoutSecrets(pino.stdSerializers.err(error), 0, true) },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

export type { Logger };
