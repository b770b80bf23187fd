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

/**
 * The request's state, with its logger made on first use (most requests log nothing). A class with
 * a prototype getter: an object literal with a getter is built on V8's slow path, per request.
 */
class LazyRequestState implements RequestState {
  private requestLogger: GatewayLogger | undefined;

  constructor(
    private readonly parentLogger: GatewayLogger,
    private readonly correlationId: string,
    readonly sessionExpiresAt: number | null,
  ) {}

  get logger(): GatewayLogger {
    return (this.requestLogger ??= this.parentLogger.child({ correlationId: this.correlationId }));
  }
}

/** The context's property that carries its request state (spread into the context as it is made). */
export function requestStateEntry(
  logger: GatewayLogger,
  correlationId: string,
  sessionExpiresAt: number | null,
): { readonly [REQUEST_STATE]: RequestState } {
  return { [REQUEST_STATE]: new LazyRequestState(logger, correlationId, sessionExpiresAt) };
}

export function requestStateOf(context: unknown): RequestState | undefined {
  return typeof context === 'object' && context !== null
    ? ((context as Record<symbol, RequestState | undefined>)[REQUEST_STATE] ?? undefined)
    : undefined;
}
