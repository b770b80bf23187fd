import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Pages and assets the gateway serves itself (no CDN: they work offline). Returns true when it
 * answered the request; everything else goes to GraphQL.
 */
export function serveStatic(_request: IncomingMessage, _response: ServerResponse): boolean {
  return false;
}
