// MSAL's HTTP client over node:https with extra trusted CA certificates: for tests that run the
// sign-in in process against the fake (child processes trust its CA through NODE_EXTRA_CA_CERTS and
// keep MSAL's own client).

import { Agent, request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export function networkClientTrusting(ca: string | Buffer): INetworkModule {
  const agent = new Agent({ keepAlive: true, ca });
  const send = <T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout?: number) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const call = request(url, { method, agent, headers: options?.headers ?? {}, ...(timeout ? { timeout } : {}) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          try {
            resolve({ status: response.statusCode ?? 0, headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as T });
          } catch (error) {
            reject(error);
          }
        });
      });
      call.on('timeout', () => call.destroy(new Error('Request timeout')));
      call.on('error', reject);
      call.end(method === 'POST' ? (options?.body ?? '') : undefined);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
