/**
 * GraphQL over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the API's port and
 * path, with the same envelop plugins as HTTP, and the rules that keep sockets bounded:
 *
 * - a session ends with its token: at the token's `exp` the socket is closed with 4440, and an
 *   operation that arrives after `exp` is not executed (it gets TOKEN_EXPIRED, then the close);
 * - open connections per network address (checked before the handshake) and per client (the
 *   token's subject, or the address when anonymous; checked at connection_init) are capped: over
 *   the cap the socket is closed with 4430;
 * - operations in flight per socket are capped: one more gets an error message with code
 *   TOO_MANY_SUBSCRIPTIONS and the socket and its other operations stay.
 *
 * Close codes (graphql-ws reserves 4400, 4401, 4403, 4406, 4408, 4409, 4429, 4499 and 4500 for its
 * own meanings; the graphql-ws client gives up on 4400/4401/4406/4409/4429/4500 and reconnects on
 * the others, re-evaluating `connectionParams` when it is a function):
 */
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocket, WebSocketServer } from 'ws';
import { ANONYMOUS, type Actor } from '../application/actor';
import type { GatewayContext } from '../application/context';
import type { GraphQLLimits } from './config';
import { withCode } from './errorCodes';
import type { GatewayLogger } from './logger';
import { clientKey } from './security';
import { tokenExpiredError } from './sessionExpiry';
import { SharedSubscriptions, markSharedSource, sharedSubscriptionRoot } from './sharedSubscriptions';
import { subscriptionSharingKey } from './subscriptionSharingKey';
import { TokenExpiredError, type Session } from './tokens';

export const WS_CLOSE = {
  /** The token expired (at connection_init, or while connected): reconnect with a fresh token. */
  tokenExpired: { code: 4440, reason: 'Token expired: reconnect with a fresh token' },
  /** Too many open connections for this client or address: close some, then retry. */
  tooManyConnections: { code: 4430, reason: 'Too many connections for this client: close some and retry later' },
  /** The token is invalid (graphql-ws's Forbidden). */
  invalidToken: { code: 4403, reason: 'Forbidden: the token is invalid' },
  /** More than MAX_SOCKET_BUFFER_BYTES waited for this client to read: reconnect and read faster. */
  tooSlow: { code: 4420, reason: 'Too slow: messages piled up unread; reconnect' },
} as const;

export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';

/** setTimeout's ceiling (about 24.8 days); a later expiry is re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

export interface ContextRequest {
  readonly actor: Actor;
  readonly sessionExpiresAt: number | null;
  readonly correlationHeader: string | null | undefined;
  readonly clientAddress: string | undefined;
  /** What the transport put in the context before ours (yoga's request, params…). */
  readonly base?: object;
}

export interface GraphQLWebSocketOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly maxPayload: number;
  readonly limits: Pick<
    GraphQLLimits,
    'maxConnectionsPerClient' | 'maxConnectionsPerAddress' | 'maxSubscriptionsPerSocket' | 'maxSocketBufferBytes'
  >;
  readonly yoga: YogaServerInstance<{ req?: IncomingMessage }, GatewayContext>;
  readonly authenticate: (authorization: string | null) => Promise<Session>;
  /** The request context for one operation on the socket (over yoga's own context, `base`). */
  readonly createContext: (request: ContextRequest) => GatewayContext;
  readonly logger: GatewayLogger;
}

export interface GraphQLWebSocket {
  readonly openSockets: () => number;
  /** Ends every operation (graphql-ws sends complete), then closes the sockets with 1001. */
  close(): Promise<void>;
}

/**
 * What graphql-ws keeps per socket (`ctx.extra`). It arrives as `{ socket, request }`; once the
 * connection is accepted the upgrade request (its headers, raw headers and stream state, about
 * 1 KiB per socket) is let go, keeping only what the socket's operations read from it.
 */
interface SocketExtra {
  request?: IncomingMessage;
  readonly socket: WebSocket;
  /** The peer's address, from the upgrade request. */
  address?: string;
  /** The upgrade request's x-correlation-id header. */
  correlationHeader?: string | null;
  session?: Session;
  clientKey?: string;
  expiryTimer?: NodeJS.Timeout;
}

/** Open connections per key, refusing one over the cap. */
class ConnectionCounts {
  private readonly counts = new Map<string, number>();
  tryOpen(key: string, max: number): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= max) return false;
    this.counts.set(key, count + 1);
    return true;
  }
  closed(key: string): void {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count <= 0) this.counts.delete(key);
    else this.counts.set(key, count);
  }
}

function closeWith(socket: WebSocket, close: { readonly code: number; readonly reason: string }): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(close.code, close.reason);
}

/**
 * The WebSocket class the server makes its sockets with: a client that stops reading has its socket
 * closed (4420) once more than `maxBufferedBytes` wait unsent for it, instead of the server queueing
 * every later message in memory for as long as the socket stays open. Every message to a client
 * (graphql-ws's own, and the frames shared subscriptions write) goes through `send`; once closing,
 * nothing more is queued (graphql-ws and the shared frames send only to open sockets).
 */
function boundedWebSocket(maxBufferedBytes: number, logger: GatewayLogger): typeof WebSocket {
  return class BoundedWebSocket extends WebSocket {
    override send(...args: unknown[]): void {
      Reflect.apply(super.send, this, args);
      if (this.readyState === this.OPEN && this.bufferedAmount > maxBufferedBytes) {
        logger.warn('websocket closed: messages piled up unread', { bufferedBytes: this.bufferedAmount });
        this.close(WS_CLOSE.tooSlow.code, WS_CLOSE.tooSlow.reason);
      }
    }
  };
}

function closeAtExpiry(socket: WebSocket, expiresAt: number, onTimer: (timer: NodeJS.Timeout) => void): void {
  const wait = expiresAt - Date.now();
  if (wait <= 0) {
    closeWith(socket, WS_CLOSE.tokenExpired);
    return;
  }
  // Unreferenced: a pending expiry never keeps the process alive.
  onTimer(setTimeout(() => closeAtExpiry(socket, expiresAt, onTimer), Math.min(wait, MAX_TIMER_MS)).unref());
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

interface EnvelopedRoot {
  execute(args: unknown): unknown;
  subscribe(args: unknown): unknown;
}

export function serveGraphQLOverWebSocket(options: GraphQLWebSocketOptions): GraphQLWebSocket {
  const { httpServer, path, maxPayload, limits, yoga, authenticate, createContext, logger } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path,
    maxPayload,
    WebSocket: boundedWebSocket(limits.maxSocketBufferBytes, logger),
  });
  const perAddress = new ConnectionCounts();
  const perClient = new ConnectionCounts();
  const sharedSubscriptions = new SharedSubscriptions();

  // Registered before graphql-ws's own listener: a socket over the address cap is closed before
  // it can say anything.
  wsServer.on('connection', (socket, request) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    if (!perAddress.tryOpen(address, limits.maxConnectionsPerAddress)) {
      logger.info('websocket refused: too many connections from one address', { address });
      closeWith(socket, WS_CLOSE.tooManyConnections);
      return;
    }
    socket.once('close', () => perAddress.closed(address));
  });

  const cleanup = useServer<Record<string, unknown>, Partial<SocketExtra>>(
    {
      // The token travels in the connection params ({ authorization: "Bearer …" }).
      onConnect: async (ctx) => {
        const extra = ctx.extra as SocketExtra;
        const request = extra.request;
        if (request === undefined) return false; // connection_init once per socket: graphql-ws closes a second one before this
        extra.address = request.socket.remoteAddress;
        extra.correlationHeader = headerValue(request.headers['x-correlation-id']);
        const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        let session: Session;
        try {
          session = await authenticate(typeof authorization === 'string' ? authorization : null);
        } catch (error) {
          closeWith(extra.socket, error instanceof TokenExpiredError ? WS_CLOSE.tokenExpired : WS_CLOSE.invalidToken);
          return false;
        }
        // The socket may have closed while the token was checked: then onClose has already run,
        // and nothing may be counted or scheduled for it.
        if (extra.socket.readyState !== extra.socket.OPEN) return false;
        const key = clientKey(session.actor, extra.address);
        if (!perClient.tryOpen(key, limits.maxConnectionsPerClient)) {
          logger.info('websocket refused: too many connections for one client', { client: key });
          closeWith(extra.socket, WS_CLOSE.tooManyConnections);
          return false;
        }
        extra.clientKey = key;
        extra.session = session;
        extra.request = undefined;
        if (session.expiresAt !== null) closeAtExpiry(extra.socket, session.expiresAt, (timer) => (extra.expiryTimer = timer));
        return true;
      },
      onClose: (ctx) => {
        const extra = ctx.extra as SocketExtra;
        clearTimeout(extra.expiryTimer);
        if (extra.clientKey !== undefined) perClient.closed(extra.clientKey);
        extra.clientKey = undefined;
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, id, params) => {
        const extra = ctx.extra as SocketExtra;
        const expiresAt = extra.session?.expiresAt ?? null;
        if (expiresAt !== null && expiresAt <= Date.now()) {
          // Not executed: the error goes out first, then the close that tells the client to refresh.
          setImmediate(() => closeWith(extra.socket, WS_CLOSE.tokenExpired));
          return [tokenExpiredError()];
        }
        // graphql-ws has already registered this operation: more than the cap means one too many.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [
            new GraphQLError('Too many operations open on this connection: complete some first', {
              extensions: { code: TOO_MANY_SUBSCRIPTIONS },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, params });
        // A bad operation is answered with an error message for it; the socket and its other subscriptions stay.
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors.map((error: GraphQLError) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        } catch (error) {
          if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
          throw error;
        }
        const correlationId = ctx.connectionParams?.correlationId;
        const actor = extra.session?.actor ?? ANONYMOUS;
        const operationContext = async () =>
          createContext({
            actor,
            // The socket closes at expiry (above), so its streams need no deadline of their own.
            sessionExpiresAt: null,
            correlationHeader: typeof correlationId === 'string' ? correlationId : extra.correlationHeader,
            clientAddress: extra.address,
            base: (await contextFactory()) as object,
          });
        const args = {
          schema,
          document,
          operationName: params.operationName ?? null,
          variableValues: params.variables ?? null,
          rootValue: { execute, subscribe },
        };
        const sharingKey = subscriptionSharingKey({
          document,
          query: params.query,
          operationName: params.operationName,
          variables: params.variables,
          actor,
        });
        if (sharingKey === null) return { ...args, contextValue: await operationContext() };
        // A subscriber that joins a running execution needs no context of its own: only the one
        // that starts it does (see sharedSubscriptions.ts).
        return {
          ...args,
          contextValue: {},
          rootValue: sharedSubscriptionRoot(sharedSubscriptions, sharingKey, { id, sink: extra.socket }, async (execution) =>
            subscribe({ ...args, contextValue: markSharedSource(await operationContext(), execution) }),
          ),
        };
      },
    },
    wsServer,
  );

  return {
    openSockets: () => wsServer.clients.size,
    async close() {
      await cleanup.dispose();
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      wsServer.close();
    },
  };
}
