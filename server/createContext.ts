/**
 * The per-request context (graphql-yoga's `createContext`): the request's scope, its loaders (made on
 * first use) and the shared services; the same for HTTP, SSE and each graphql-ws operation.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../application/actor';
import type { GatewayContext } from '../application/context';
import type { Loaders } from '../application/loaders';
import type { RequestScope } from '../application/requestScope';
import type { GatewayLogger } from './logger';
import { attachRequestState } from './requestState';
import type { ContextRequest } from './webSocket';

/** What every request shares: the services and reads of the context, without the request's own parts. */
export type SharedContext = Omit<GatewayContext, 'scope' | 'clientAddress' | 'loaders'>;

export function contextFactory(
  shared: SharedContext,
  createLoaders: (actor: Actor) => Loaders,
  logger: GatewayLogger,
): (request: ContextRequest) => GatewayContext {
  return ({ actor, sessionExpiresAt, correlationHeader, clientAddress, base }) => {
    const scope: RequestScope = {
      actor,
      correlationId: sanitizeCorrelationId(correlationHeader) ?? randomUUID(),
      receivedAt: new Date().toISOString(),
    };
    const context: GatewayContext = {
      ...base,
      scope,
      clientAddress,
      loaders: lazyLoaders(() => createLoaders(actor)),
      ...shared,
    };
    // The request's child logger is made on first use: most requests log nothing.
    let requestLogger: GatewayLogger | undefined;
    attachRequestState(context, {
      get logger() {
        return (requestLogger ??= logger.child({ correlationId: scope.correlationId }));
      },
      sessionExpiresAt,
    });
    return context;
  };
}

/**
 * The request's loaders, made on first use: most requests never batch a lookup. A getter on the
 * context would not do: envelop copies the context with Object.assign, which runs every getter.
 */
export function lazyLoaders(create: () => Loaders): Loaders {
  let loaders: Loaders | undefined;
  return new Proxy({} as Loaders, {
    get: (_target, name) => Reflect.get((loaders ??= create()), name),
    has: (_target, name) => Reflect.has((loaders ??= create()), name),
    ownKeys: () => Reflect.ownKeys((loaders ??= create())),
    getOwnPropertyDescriptor: (_target, name) => Reflect.getOwnPropertyDescriptor((loaders ??= create()), name),
  });
}

/** A client's correlation id is kept only if it is short and plain; otherwise a new one is made. */
function sanitizeCorrelationId(value: string | null | undefined): string | null {
  return value && /^[\w.:-]{1,100}$/.test(value) ? value : null;
}
