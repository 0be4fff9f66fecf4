// A real logger (the product's, with its redaction) whose lines a test can read.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../app/logger.ts';

export function capturedLog(level = 'debug'): { log: Logger; lines(): string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink), lines: () => [...lines] };
}
