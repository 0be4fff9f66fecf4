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
  return Object.fromEntries(Object.entries(value).slice(0, 50).map(([key, item]) => [key, capStrings(item, depth - 1)]));
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
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'portal-ops' },
    hooks: { streamWrite: boundedLine },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

export type { Logger };
