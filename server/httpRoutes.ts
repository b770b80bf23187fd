/**
 * The HTTP routes on the API port: the body limit first, /metrics (when served here), GraphQL, then
 * the static pages (timeline, GraphiQL's assets) with yoga answering whatever they do not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mayReceiveDevTokenFrom } from './devAccess';
import { rejectOversizedBody } from './security';
import { serveStatic } from './staticRoutes';
import { GRAPHQL_PATH } from './yogaServer';

export interface HttpRoutes {
  readonly maxBodyBytes: number;
  /** Answers /metrics on this port, or returns false. */
  readonly serveMetrics: ((request: IncomingMessage, response: ServerResponse) => boolean) | null;
  readonly yoga: (request: IncomingMessage, response: ServerResponse) => unknown;
  /** Handed to a local browser's pages (devAccess.ts), if any. */
  readonly devToken: string | undefined;
}

export function httpRoutes({
  maxBodyBytes,
  serveMetrics,
  yoga,
  devToken,
}: HttpRoutes): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    if (rejectOversizedBody(request, response, maxBodyBytes)) return;
    if (serveMetrics?.(request, response)) return;
    if (request.url?.startsWith(GRAPHQL_PATH)) return void yoga(request, response);
    const pageToken = devToken && mayReceiveDevTokenFrom(request.headers) ? { devToken } : {};
    if (!serveStatic(request, response, pageToken)) void yoga(request, response);
  };
}
