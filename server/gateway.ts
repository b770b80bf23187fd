/**
 * The composition root: wires the event store, the projections, the application services and
 * GraphQL (HTTP + SSE via graphql-yoga, WebSocket via graphql-ws on the same port and path).
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLRUCache, createYoga, useReadinessCheck } from 'graphql-yoga';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { ChangeFeed } from '../application/changeFeed';
import { upcastingEventStore } from '../application/upcastingEventStore';
import { shopEventVersioning } from '../domain/shopEventVersioning';
import { CommandExecutor } from '../application/commandExecutor';
import { CommandHandler } from '../application/commandHandler';
import { IdempotencyKeys } from '../application/idempotency/idempotencyKeys';
import type { GatewayContext } from '../application/context';
import { InventoryReads } from '../application/inventoryReads';
import { InventoryService } from '../application/inventoryService';
import { createLoaders } from '../application/loaders';
import { EventStoreCheckpointStore } from '../application/checkpointStore';
import { ORDER_FULFILMENT, OrderFulfilmentProcessManager } from '../application/orders/orderFulfilmentProcessManager';
import { EventStoreLease } from '../application/lease';
import { OrderReads } from '../application/orders/orderReads';
import { HistoryReads } from '../application/history/historyReads';
import { ProjectionAdmin } from '../application/projectionAdmin';
import { OrderService } from '../application/orders/orderService';
import { SimulatedPaymentProvider } from '../application/orders/simulatedPaymentProvider';
import { OrderQueries } from '../projections/orderView/orderQueries';
import { orderViewDefinition } from '../projections/orderView/orderView';
import { InMemoryOrderViewStore } from '../projections/orderView/orderViewStore';
import { shopDashboardProjection } from '../projections/shopDashboard/shopDashboardProjection';
import { ShopDashboardQueries } from '../projections/shopDashboard/shopDashboardQueries';
import { ShopDashboardStore } from '../projections/shopDashboard/shopDashboardStore';
import type { RequestScope } from '../application/requestScope';
import type { EventStore } from '../eventStore/port';
import { InMemoryDocumentStore } from '../projections/documentStore';
import { InventoryItemQueries } from '../projections/inventoryItemView/inventoryItemQueries';
import type { InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import { inventoryItemViewDefinition } from '../projections/inventoryItemView/inventoryItemView';
import { documentProjection } from '../projections/projection';
import { ProjectionRunner } from '../projections/projectionRunner';
import type { DocumentStore } from '../projections/documentStore';
import type { OrderViewStore } from '../projections/orderView/orderViewStore';
import { RebuildableReadSide, type ReadModelVersion } from '../projections/rebuildableReadSide';
import { swappable } from '../projections/swappable';
import type { GatewayConfig } from './config';
import { useErrorCodes } from './errorCodes';
import { createErrorMasker } from './errors';
import { createMetrics, projectionLag } from './observability';
import { createLogger, type GatewayLogger } from './logger';
import { createSchema } from './schema';
import { seedDemoData } from './seed';
import { rejectOversizedBody, securityPlugins } from './security';
import { createSessionAuthenticator, issueToken } from './tokens';
import { DomainError } from '../domain/errors';
import { InvalidCursorError } from '../projections/pagination';
import { serveStatic } from './staticRoutes';
import { createLiveQueries, hasLiveDirective, withLiveResourceKeys } from './liveQueries';
import { GRAPHIQL_DEFAULT_TAB } from './graphiqlDefaults';
import { createResponseCache, type ResponseCache } from './responseCache';
import { corsPolicy } from './cors';
import { mayReceiveDevTokenFrom } from './devAccess';
import { metricsHandler, startMetricsServer } from './metricsEndpoint';
import { createMutationRateLimiter } from './rateLimit';
import { attachRequestState } from './requestState';
import { useSessionExpiry } from './sessionExpiry';
import { serveGraphQLOverWebSocket, type ContextRequest, type GraphQLWebSocket } from './webSocket';

export const GRAPHQL_PATH = '/graphql';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly store: EventStore;
  readonly log?: (line: string) => void;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  readonly store: EventStore;
  readonly runner: RebuildableReadSide;
  readonly fulfilment: OrderFulfilmentProcessManager;
  readonly fulfilmentLease: EventStoreLease;
  readonly paymentProvider: SimulatedPaymentProvider;
  /** The separate metrics port (METRICS_PORT), or null when /metrics is not served apart. */
  readonly metricsPort: number | null;
  stop(): Promise<void>;
}

export async function startGateway({ config, store: storedEvents, log }: GatewayOptions): Promise<Gateway> {
  // Every reader below sees events upcast to their current shapes; every write stores the current version.
  const store = upcastingEventStore(storedEvents, shopEventVersioning);
  const logger = createLogger(config.logLevel, log);
  const shutdown = new AbortController();

  // The read model: documents in memory, built from $all. Queries read it through stand-ins, so a
  // version rebuilt side by side can replace it without downtime.
  const inventoryViews = swappable<DocumentStore<InventoryItemView>>(new InMemoryDocumentStore<InventoryItemView>());
  const orderViews = swappable<OrderViewStore>(new InMemoryOrderViewStore());
  const dashboard = swappable(new ShopDashboardStore({ lowStockThreshold: config.lowStockThreshold }));
  const buildReadModel = (): ReadModelVersion => {
    const stores = {
      inventory: new InMemoryDocumentStore<InventoryItemView>(),
      orders: new InMemoryOrderViewStore(),
      dashboard: new ShopDashboardStore({ lowStockThreshold: config.lowStockThreshold }),
    };
    const projections = [
      documentProjection(inventoryItemViewDefinition, stores.inventory),
      documentProjection(orderViewDefinition, stores.orders),
      shopDashboardProjection(stores.dashboard),
    ];
    return {
      runner: new ProjectionRunner(store, projections, { logger }),
      activate: () => {
        inventoryViews.swap(stores.inventory);
        orderViews.swap(stores.orders);
        dashboard.swap(stores.dashboard);
        // Every document was replaced at once: no cached result may outlive the swap.
        responseCache?.invalidateAll();
      },
    };
  };
  let responseCache: ResponseCache | null = null;
  const runner = new RebuildableReadSide(buildReadModel(), buildReadModel);
  const inventoryQueries = new InventoryItemQueries(inventoryViews.view);
  const orderQueries = new OrderQueries(orderViews.view);
  const changes = new ChangeFeed(runner, shutdown.signal);
  const liveQueries = createLiveQueries(runner);
  // The WebSocket server is created later; metrics read its size lazily.
  let webSocket: GraphQLWebSocket | undefined;
  const metrics = createMetrics({
    store,
    runner,
    openSockets: () => webSocket?.openSockets() ?? 0,
    logger,
    lagBound: config.readyMaxLagEvents,
    maxOperationNames: config.metrics.maxOperationNames,
  });
  const commands = new CommandHandler(store, ({ command, outcome, seconds, metadata }) => {
    metrics.commandOutcome(command, outcome, seconds);
    logger.debug('command', { command, outcome, commandId: metadata.commandId, correlationId: metadata.correlationId, actor: metadata.actor });
  });
  const executor = new CommandExecutor(commands, new IdempotencyKeys(store), runner, config.readYourWritesTimeoutMs);
  const inventory = new InventoryService(executor, inventoryQueries);
  const orders = new OrderService(executor, orderQueries, inventoryQueries);
  const reads = { inventory: new InventoryReads(inventoryQueries, changes), orders: new OrderReads(orderQueries, new ShopDashboardQueries(dashboard.view), changes),
    history: new HistoryReads(store, shutdown.signal),
  };
  const paymentProvider = new SimulatedPaymentProvider(store, {
    declineAboveCents: config.paymentDeclineAboveCents,
    latencyMs: config.paymentLatencyMs,
  });
  // The process manager acts only on the instance holding its lease; the others stand by and take over.
  const fulfilmentLease: EventStoreLease = new EventStoreLease(store, {
    name: ORDER_FULFILMENT,
    leaseMs: config.processManagerLeaseMs,
    logger,
    onAcquired: () => fulfilment.start(),
    onLost: () => fulfilment.stop(),
  });
  const fulfilment = new OrderFulfilmentProcessManager(store, commands, paymentProvider, new EventStoreCheckpointStore(store), {
    logger,
    mayAct: () => fulfilmentLease.held,
  });
  const status = () => ({
    eventStore: store.kind,
    checkpoint: runner.checkpoint === null ? null : runner.checkpoint.toString(),
    caughtUp: runner.caughtUp,
    processedEvents: runner.status.processedEvents,
  });

  const projections = new ProjectionAdmin(runner, runner, shutdown.signal);
  const authenticate = createSessionAuthenticator(config.auth);
  const schema = withLiveResourceKeys(createSchema());
  responseCache =
    config.responseCacheEntries > 0
      ? createResponseCache({
          schema,
          readSide: runner,
          authenticate: async (authorization) => (await authenticate(authorization)).actor,
          maxEntries: config.responseCacheEntries,
          maxTokens: config.limits.maxTokens,
        })
      : null;
  const createContext = ({ actor, sessionExpiresAt, correlationHeader, clientAddress, base }: ContextRequest): GatewayContext => {
    const scope: RequestScope = {
      actor,
      correlationId: sanitizeCorrelationId(correlationHeader) ?? randomUUID(),
      receivedAt: new Date().toISOString(),
    };
    let loaders: ReturnType<typeof createLoaders> | undefined;
    const context: GatewayContext = {
      ...base,
      scope,
      clientAddress,
      // Made on first use: most requests never batch a lookup.
      get loaders() {
        return (loaders ??= createLoaders(reads, actor));
      },
      inventory,
      orders,
      reads,
      status,
      projections,
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
  // In development GraphiQL starts signed in as an admin (with the per-installation dev secret),
  // but only in a browser on this machine, on the gateway's own page (devAccess.ts).
  const devToken = config.devSecret && config.auth.jwtSecret ? await issueToken(config.auth.jwtSecret, { role: 'admin', sub: 'dev-browser' }) : undefined;
  const graphiqlHeaders = devToken ? JSON.stringify({ Authorization: `Bearer ${devToken}` }, null, 2) : undefined;
  const graphiqlOptions = { title: 'Event shop gateway', defaultQuery: GRAPHIQL_DEFAULT_TAB, subscriptionsProtocol: 'WS' as const };
  const rateLimiter = await createMutationRateLimiter({ perMinute: config.limits.mutationsPerMinute, redisUrl: config.redisUrl, logger });

  const yoga = createYoga<{ req?: IncomingMessage }, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // Over WebSocket there is no fetch Request: webSocket.ts builds that context itself.
    context: async ({ request, req }) => {
      if (!request) return {} as GatewayContext;
      const session = await authenticate(request.headers.get('authorization'));
      return createContext({
        actor: session.actor,
        sessionExpiresAt: session.expiresAt,
        correlationHeader: request.headers.get('x-correlation-id'),
        clientAddress: req?.socket.remoteAddress,
      });
    },
    maskedErrors: { maskError: createErrorMasker(logger) },
    graphiql: config.graphiql
      ? (request) => (graphiqlHeaders && mayReceiveDevTokenFrom(request.headers) ? { ...graphiqlOptions, headers: graphiqlHeaders } : graphiqlOptions)
      : false,
    cors: corsPolicy(config.corsOrigins),
    batching: { limit: config.limits.maxBatch },
    // The body limit is enforced from Content-Length before yoga runs (rejectOversizedBody): yoga's
    // own stream-based limit measured here at about 2.4x lower throughput.
    maxRequestBodySize: false,
    renderGraphiQL,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug?.(String(args[0])),
      info: (...args) => logger.info(String(args[0])),
      warn: (...args) => logger.warn(String(args[0])),
      // Refused requests (domain errors, bad cursors or page sizes, anything coded for the client)
      // are the client's business, not the operator's: debug, not error, and no stack.
      error: (...args) =>
        args.some(isClientMistake)
          ? logger.debug(truncate(String(args[0])))
          : logger.error(truncate(String(args[0])), { detail: args.slice(1).map((arg) => truncate(String(arg))) }),
    },
    plugins: [
      // Queries and mutations run through graphql-jit: each document is compiled once (cached), then
      // executed as generated code; subscriptions keep graphql-js.
      // Live queries keep graphql-js too: the live store re-executes them against its own instrumented schema.
      useGraphQlJit({}, { enableIf: (args) => !isSubscription(args.document) && !hasLiveDirective(args.document), cache: createLRUCache({ max: 1000 }) }),
      liveQueries.plugin,
      metrics.plugin,
      useSessionExpiry(),
      useErrorCodes(),
      ...securityPlugins(config, rateLimiter),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          await store.ping();
          if (!runner.caughtUp) return false;
          return (await projectionLag(store, runner, config.readyMaxLagEvents)).events <= config.readyMaxLagEvents;
        },
      }),
      // Last: a cache hit answers before execution, after the request passed the checks above.
      ...(responseCache?.plugins ?? []),
    ],
  });

  const serveMetrics = metricsHandler(metrics.registry, config.metrics.token);
  const httpServer: Server = createServer((request, response) => {
    if (rejectOversizedBody(request, response, config.limits.maxBodyBytes)) return;
    if (config.metrics.onApiPort && serveMetrics(request, response)) return;
    if (request.url?.startsWith(GRAPHQL_PATH)) return void yoga(request, response);
    const pageToken = devToken && mayReceiveDevTokenFrom(request.headers) ? { devToken } : {};
    if (!serveStatic(request, response, pageToken)) void yoga(request, response);
  });
  webSocket = serveGraphQLOverWebSocket({
    httpServer,
    path: GRAPHQL_PATH,
    maxPayload: config.limits.maxBodyBytes,
    limits: config.limits,
    yoga,
    authenticate,
    createContext,
    logger,
  });
  const openWebSocket = webSocket;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  // Listening comes before the start-up replay, so /health and queries answer while the
  // projections catch up (the replay yields to the event loop); /ready stays 503 until they have.
  await runner.start();
  if (config.runProcessManager) fulfilmentLease.start();
  if (config.seedDemoData) await seedDemoData({ store, inventory, orders, orderById: (id) => orderQueries.byId(id), logger });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}${GRAPHQL_PATH}`;
  const metricsServer = config.metrics.port === null ? null : await startMetricsServer(config.host, config.metrics.port, serveMetrics);
  logger.info('gateway listening', { url, eventStore: store.kind, ...(metricsServer ? { metricsPort: metricsServer.port } : {}) });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down');
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // End every subscription cleanly (SSE streams finish, graphql-ws sends complete), then the sockets.
      shutdown.abort();
      liveQueries.dispose();
      responseCache?.dispose();
      await openWebSocket.close();
      metricsServer?.server.close();
      metricsServer?.server.closeAllConnections();
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await yoga.dispose();
      await fulfilmentLease.stop();
      await rateLimiter.close();
      await fulfilment.stop();
      await runner.stop();
      await store.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  return { url, port, store, runner, fulfilment, fulfilmentLease, paymentProvider, metricsPort: metricsServer?.port ?? null, stop };
}

/** A refusal of the client's own request: it has a stable code for the client, nothing for the operator. */
function isClientMistake(value: unknown): boolean {
  const original = value instanceof GraphQLError && value.originalError ? value.originalError : value;
  if (original instanceof DomainError || original instanceof InvalidCursorError) return true;
  const code = original instanceof GraphQLError ? original.extensions?.code : undefined;
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
}

/** Log lines stay bounded whatever a client sent. */
function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function isSubscription(document: DocumentNode): boolean {
  return document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription');
}

/** A client's correlation id is kept only if it is short and plain; otherwise a new one is made. */
function sanitizeCorrelationId(value: string | null | undefined): string | null {
  return value && /^[\w.:-]{1,100}$/.test(value) ? value : null;
}
