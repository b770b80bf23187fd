/**
 * What the transport knows about a request that the application's context does not carry: the
 * request's own logger (a child carrying its correlation id) and when its session's token
 * expires. Kept beside the context object (a WeakMap), so GatewayContext stays the application's.
 */
import type { GatewayLogger } from './logger';

export interface RequestState {
  readonly logger: GatewayLogger;
  /** Epoch ms at which the bearer token expires; null when anonymous. */
  readonly sessionExpiresAt: number | null;
}

const states = new WeakMap<object, RequestState>();

export function attachRequestState(context: object, state: RequestState): void {
  states.set(context, state);
}

export function requestStateOf(context: unknown): RequestState | undefined {
  return typeof context === 'object' && context !== null ? states.get(context) : undefined;
}
