/**
 * CORS as an allowlist (CORS_ORIGINS). By default no origin is allowed: the gateway's own pages
 * (GraphiQL, /timeline) are same-origin and need no CORS, and a page on any other site gets no
 * Access-Control-Allow-Origin, so its browser keeps the answer from it. An allowed origin is
 * answered with itself (never a reflection of an unknown one) and without credentials: the
 * gateway authenticates with a bearer header, never a cookie.
 */
import type { CORSOptions } from 'graphql-yoga';
import { PREFLIGHT_HEADERS } from './security';

export function corsPolicy(allowedOrigins: readonly string[]): (request: Request) => CORSOptions {
  const allowed = new Set(allowedOrigins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    return {
      // Two entries, so that yoga answers with the request's origin and `Vary: Origin`.
      origin: [origin, ...allowed],
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'accept', 'x-correlation-id', ...PREFLIGHT_HEADERS],
      maxAge: 600,
    };
  };
}
