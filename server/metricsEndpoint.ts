/**
 * Serving /metrics. In production it is not public: either on its own port (METRICS_PORT, e.g.
 * reachable only from the monitoring network) or on the API port behind a bearer token
 * (METRICS_TOKEN); with neither, production serves no /metrics. In development it is served on
 * the API port (behind METRICS_TOKEN if one is set).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function authorized(request: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

/** Answers GET /metrics (true), or leaves the request alone (false). */
export function metricsHandler(registry: Registry, token: string | null): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    if (request.method !== 'GET' || new URL(request.url ?? '/', 'http://gateway.invalid').pathname !== METRICS_PATH) return false;
    if (!authorized(request, token)) {
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('Unauthorized\n');
      return true;
    }
    void registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500).end(),
    );
    return true;
  };
}

export async function startMetricsServer(
  host: string,
  port: number,
  handle: (request: IncomingMessage, response: ServerResponse) => boolean,
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    if (!handle(request, response)) response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
