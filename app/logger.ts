// Structured logs. Anything that could carry a secret is redacted at the source, whatever the caller logs.
import { type Logger, pino } from 'pino';

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
const SECRET_KEYS = new Set(['authorization', 'token', 'password', 'passphrase', 'pfx', 'pfxBase64', 'privateKey', 'secret', 'secretKey', 'cookie'].map((k) => k.toLowerCase()));
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
  for (const [key, item] of Object.entries(value)) copy[key] = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : withoutSecrets(item, depth + 1, serializedError);
  return copy;
}

/** No line is longer than this, whatever was logged: a client's input must not fill the disk. */
export const MAX_LINE_CHARS = 16 * 1024;
/** Strings inside a line that was too long are cut to this. */
const MAX_STRING_CHARS = 1024;

function capStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING_CHARS ? `${value.slice(0, MAX_STRING_CHARS)}… [${value.length} characters]` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth === 0) return '[deeper values left out]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, 20).map((item) => capStrings(item, depth - 1));
    return value.length > 20 ? [...kept, `[${value.length - 20} more]`] : kept;
  }
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, 50)
      .map(([key, item]) => [key, capStrings(item, depth - 1)]),
  );
}

/**
 * A line over MAX_LINE_CHARS keeps its fields with every string cut short; if that is still too long,
 * only its level, time and message. Either way it stays one line of JSON.
 */
export function boundedLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${JSON.stringify({ msg: 'a log line could not be read back to be shortened', truncated: line.length })}\n`;
  }
  const capped = JSON.stringify({ ...(capStrings(parsed, 6) as object), truncated: line.length });
  if (capped.length <= MAX_LINE_CHARS) return `${capped}\n`;
  const { level, time, service, msg } = parsed;
  return `${JSON.stringify({ level, time, service, msg: capStrings(msg, 1), truncated: line.length })}\n`;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    base: { service: 'portal-ops' },
    formatters: { log: (object) => withoutSecrets(object) as Record<string, unknown> },
    serializers: { err: (error) => withoutSecrets(pino.stdSerializers.err(error), 0, true) },
    hooks: { streamWrite: boundedLine },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

export type { Logger };
