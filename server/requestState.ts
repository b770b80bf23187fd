/**
 * What the transport knows about a request that the application's context does not carry: the
 * request's own logger (a child carrying its correlation id) and when its session's token
 * expires. Kept on the context under a symbol: yoga copies our context into its own object (and
 * symbol-keyed properties are copied with it), and GatewayContext stays the application's.
 */
import type { GatewayLogger } from './logger';

export interface RequestState {
  readonly logger: GatewayLogger;
  /** Epoch ms at which the bearer token expires; null when anonymous. */
  readonly sessionExpiresAt: number | null;
}

const REQUEST_STATE = Symbol('requestState');

export function attachRequestState(context: object, state: RequestState): void {
  Object.defineProperty(context, REQUEST_STATE, { value: state, enumerable: true });
}

export function requestStateOf(context: unknown): RequestState | undefined {
  return typeof context === 'object' && context !== null
    ? ((context as Record<symbol, RequestState | undefined>)[REQUEST_STATE] ?? undefined)
    : undefined;
}
