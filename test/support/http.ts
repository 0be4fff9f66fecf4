// The HTTP port of a test tenant on loopback, and raw requests that fetch cannot make (chunked bodies).
import { request } from 'node:http';
import { createLogger } from '../../app/logger.ts';
import { type HttpApp, startHttpApp } from '../../app/server.ts';
import type { TestTenant } from './tenant.ts';

/** Serves the tenant's GraphQL server on 127.0.0.1 at a port the OS picks. */
export function serveTenant(tenant: TestTenant): Promise<HttpApp> {
  return startHttpApp({ db: tenant.db, graphql: tenant.yoga, log: createLogger('silent') }, 0, '127.0.0.1');
}

/**
 * POSTs `body` with Transfer-Encoding: chunked (no Content-Length), `chunkBytes` at a time. A server
 * may answer before it has read everything; what was still to be sent is then dropped.
 */
export function postChunked(
  url: string,
  body: string,
  headers: Record<string, string>,
  chunkBytes = 64 * 1024,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => (answered = true));
    // Once answered, a reset of the rest of the upload is the server's right, not a failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    let at = 0;
    const pump = () => {
      while (at < bytes.length && !answered) {
        const more = req.write(bytes.subarray(at, at + chunkBytes));
        at += chunkBytes;
        if (!more) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}
