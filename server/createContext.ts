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
import { requestStateEntry } from './requestState';
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
    return {
      ...base,
      scope,
      clientAddress,
      loaders: lazyLoaders(() => createLoaders(actor)),
      ...shared,
      ...requestStateEntry(logger, scope.correlationId, sessionExpiresAt),
    };
  };
}

/**
 * The request's loaders, made on first use: most requests never batch a lookup. A getter on the
 * context would not do: envelop copies the context with Object.assign, which runs every getter.
 */
export function lazyLoaders(create: () => Loaders): Loaders {
  return new Proxy({ create, loaders: undefined }, LAZY_LOADERS) as unknown as Loaders;
}

/** One handler for every request's proxy; the proxy's target keeps that request's loaders once made. */
interface LazyLoadersTarget {
  readonly create: () => Loaders;
  loaders: Loaders | undefined;
}

const made = (target: LazyLoadersTarget): Loaders => (target.loaders ??= target.create());

const LAZY_LOADERS: ProxyHandler<LazyLoadersTarget> = {
  get: (target, name) => Reflect.get(made(target), name),
  has: (target, name) => Reflect.has(made(target), name),
  ownKeys: (target) => Reflect.ownKeys(made(target)),
  getOwnPropertyDescriptor: (target, name) => Reflect.getOwnPropertyDescriptor(made(target), name),
};

/** A client's correlation id is kept only if it is short and plain; otherwise a new one is made. */
function sanitizeCorrelationId(value: string | null | undefined): string | null {
  return value && /^[\w.:-]{1,100}$/.test(value) ? value : null;
}
