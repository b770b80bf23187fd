/**
 * Everything the gateway is before it listens: the event store seen through its upcasters, the read
 * side, the services, the process manager and its lease, and yoga. `startGateway` puts it on a port;
 * the API tier calls `yoga.fetch` on it directly.
 */
import { ChangeFeed } from '../application/changeFeed';
import { EventStoreCheckpointStore } from '../application/checkpointStore';
import { CommandExecutor } from '../application/commandExecutor';
import { CommandHandler } from '../application/commandHandler';
import { HistoryReads } from '../application/history/historyReads';
import { IdempotencyKeys } from '../application/idempotency/idempotencyKeys';
import { InventoryReads } from '../application/inventoryReads';
import { InventoryService } from '../application/inventoryService';
import { EventStoreLease } from '../application/lease';
import { ORDER_FULFILMENT, OrderFulfilmentProcessManager } from '../application/orders/orderFulfilmentProcessManager';
import { OrderReads } from '../application/orders/orderReads';
import { OrderService } from '../application/orders/orderService';
import { SimulatedPaymentProvider } from '../application/orders/simulatedPaymentProvider';
import { ProjectionAdmin } from '../application/projectionAdmin';
import { tracedPaymentProvider } from '../application/tracing/tracedPaymentProvider';
import { upcastingEventStore } from '../application/upcastingEventStore';
import { shopEventVersioning } from '../domain/shopEventVersioning';
import type { EventStore } from '../eventStore/port';
import type { GatewayConfig } from './config';
import { contextFactory } from './createContext';
import { createLiveQueries, withLiveResourceKeys } from './liveQueries';
import { createLogger } from './logger';
import { createMetrics, projectionLag, type Metrics } from './observability';
import { createMutationRateLimiter, type MutationRateLimiter } from './rateLimit';
import { createReadSide, type ReadSide } from './readSide';
import { createResponseCache, type ResponseCache } from './responseCache';
import { createSchema } from './schema';
import { createSessionAuthenticator, issueToken } from './tokens';
import { graphqlTracing } from './graphqlTracing';
import { createGatewayYoga, type GatewayYoga, type GatewayYogaOptions } from './yogaServer';

/** The config, logger, authentication and context factory are the ones yoga runs with. */
export interface GatewayApp extends Pick<GatewayYogaOptions, 'config' | 'logger' | 'authenticate' | 'createContext'> {
  readonly store: EventStore;
  readonly readSide: ReadSide;
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly fulfilment: OrderFulfilmentProcessManager;
  readonly fulfilmentLease: EventStoreLease;
  readonly paymentProvider: SimulatedPaymentProvider;
  readonly metrics: Metrics;
  readonly yoga: GatewayYoga;
  /** The dev admin token handed to a local browser's pages, if any (devAccess.ts). */
  readonly devToken: string | undefined;
  /** Tells the metrics how many sockets are open (the WebSocket server comes with the port). */
  countOpenSockets(count: () => number): void;
  /** Ends every subscription cleanly (SSE streams finish, graphql-ws sends complete): the first step of stopping. */
  endSubscriptions(): void;
  /** Then, once the transport is closed: yoga, the process manager, the read side, the store. */
  dispose(): Promise<void>;
}

export async function createGatewayApp(config: GatewayConfig, storedEvents: EventStore, log?: (line: string) => void): Promise<GatewayApp> {
  // Every reader below sees events upcast to their current shapes; every write stores the current version.
  const store = upcastingEventStore(storedEvents, shopEventVersioning);
  const logger = createLogger(config.logLevel, log);
  const shutdown = new AbortController();

  let responseCache: ResponseCache | null = null;
  // A rebuilt version replaces every document at once: no cached result may outlive the swap.
  const readSide = createReadSide({
    store,
    lowStockThreshold: config.lowStockThreshold,
    logger,
    onSwap: () => responseCache?.invalidateAll(),
  });
  const { runner } = readSide;
  const changes = new ChangeFeed(runner, shutdown.signal);
  const liveQueries = createLiveQueries(runner);
  let openSockets = () => 0;
  const metrics = createMetrics({
    store,
    runner,
    openSockets: () => openSockets(),
    logger,
    lagBound: config.readyMaxLagEvents,
    maxOperationNames: config.metrics.maxOperationNames,
  });
  const commands = new CommandHandler(store, ({ command, outcome, seconds, metadata }) => {
    metrics.commandOutcome(command, outcome, seconds);
    logger.debug('command', {
      command,
      outcome,
      commandId: metadata.commandId,
      correlationId: metadata.correlationId,
      actor: metadata.actor,
    });
  });
  const executor = new CommandExecutor(commands, new IdempotencyKeys(store), runner, config.readYourWritesTimeoutMs);
  const inventory = new InventoryService(executor, readSide.inventory);
  const orders = new OrderService(executor, readSide.orders, readSide.inventory);
  const reads = {
    inventory: new InventoryReads(readSide.inventory, changes),
    orders: new OrderReads(readSide.orders, readSide.dashboard, changes),
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
  const charges = tracedPaymentProvider(paymentProvider);
  const fulfilment = new OrderFulfilmentProcessManager(store, commands, charges, new EventStoreCheckpointStore(store), {
    logger,
    mayAct: () => fulfilmentLease.held,
  });
  const status = () => ({
    eventStore: store.kind,
    checkpoint: runner.checkpoint === null ? null : runner.checkpoint.toString(),
    caughtUp: runner.caughtUp,
    processedEvents: runner.status.processedEvents,
  });
  const createContext = contextFactory(
    { inventory, orders, reads, status, projections: new ProjectionAdmin(runner, runner, shutdown.signal) },
    logger,
  );

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
  // In development GraphiQL starts signed in as an admin (with the per-installation dev secret),
  // but only in a browser on this machine, on the gateway's own page (devAccess.ts).
  const devToken =
    config.devSecret && config.auth.jwtSecret ? await issueToken(config.auth.jwtSecret, { role: 'admin', sub: 'dev-browser' }) : undefined;
  const rateLimiter: MutationRateLimiter = await createMutationRateLimiter({
    perMinute: config.limits.mutationsPerMinute,
    redisUrl: config.redisUrl,
    logger,
  });
  const yoga = createGatewayYoga({
    config,
    schema,
    logger,
    authenticate,
    createContext,
    graphiqlHeaders: devToken ? JSON.stringify({ Authorization: `Bearer ${devToken}` }, null, 2) : undefined,
    rateLimiter,
    isReady: async () => {
      await store.ping();
      if (!runner.caughtUp) return false;
      return (await projectionLag(store, runner, config.readyMaxLagEvents)).events <= config.readyMaxLagEvents;
    },
    observers: [...graphqlTracing(), liveQueries.plugin, metrics.plugin],
    responseCachePlugins: responseCache?.plugins ?? [],
  });

  return {
    config,
    store,
    logger,
    readSide,
    inventory,
    orders,
    fulfilment,
    fulfilmentLease,
    paymentProvider,
    metrics,
    yoga,
    authenticate,
    createContext,
    devToken,
    countOpenSockets: (count) => {
      openSockets = count;
    },
    endSubscriptions: () => {
      shutdown.abort();
      liveQueries.dispose();
      responseCache?.dispose();
    },
    dispose: async () => {
      await yoga.dispose();
      await fulfilmentLease.stop();
      await rateLimiter.close();
      await fulfilment.stop();
      await runner.stop();
      await store.close();
    },
  };
}
