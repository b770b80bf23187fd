/**
 * Everything the gateway is before it listens, folded from the capabilities (capabilities/): the
 * event store seen through its upcasters, the read side built from their read models, their
 * services, reads and reactions on one `$all` subscription, and yoga. `startGateway` puts it on a
 * port; the API tier calls `yoga.fetch` on it directly.
 */
import { setMaxListeners } from 'node:events';
import { ChangeFeed } from '../application/changeFeed';
import { CommandExecutor } from '../application/commandExecutor';
import { CommandHandler } from '../application/commandHandler';
import { IdempotencyKeys } from '../application/idempotency/idempotencyKeys';
import { upcastingEventStore } from '../application/upcastingEventStore';
import { shopAggregates } from '../domain/shopAggregates';
import { eventVersioningByCategory } from '../domain/shopEventVersioning';
import type { EventStore } from '../eventStore/port';
import { capabilities } from './capabilities';
import type { CapabilityHandles, CapabilityParts } from './capabilities/capability';
import { wireCapabilities } from './capabilities/wireCapabilities';
import type { GatewayConfig } from './config';
import { contextFactory, type SharedContext } from './createContext';
import { createLiveQueries, withLiveResourceKeys } from './liveQueries';
import { createLogger } from './logger';
import { createMetrics, projectionLag, type Metrics } from './observability';
import { createMutationRateLimiter, type MutationRateLimiter } from './rateLimit';
import { hostReactions, type ReactionHost } from './reactionHost';
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
  /** The services and reads every request shares (what the capabilities put in the context). */
  readonly shared: SharedContext;
  /** The capabilities' reactions on the single subscription, with their checkpoints and leases. */
  readonly reactions: ReactionHost;
  /** What the capabilities expose to operators and tests. */
  readonly handles: CapabilityHandles;
  readonly metrics: Metrics;
  readonly yoga: GatewayYoga;
  /** The dev admin token handed to a local browser's pages, if any (devAccess.ts). */
  readonly devToken: string | undefined;
  /** Tells the metrics how many sockets are open (the WebSocket server comes with the port). */
  countOpenSockets(count: () => number): void;
  /** Ends every subscription cleanly (SSE streams finish, graphql-ws sends complete): the first step of stopping. */
  endSubscriptions(): void;
  /** Then, once the transport is closed: yoga, the reactions, the read side, the store. */
  dispose(): Promise<void>;
}

export async function createGatewayApp(config: GatewayConfig, storedEvents: EventStore, log?: (line: string) => void): Promise<GatewayApp> {
  // Every reader below sees events upcast to their current shapes; every write stores the current version.
  const aggregates = [...shopAggregates, ...capabilities.flatMap((capability) => capability.aggregates ?? [])];
  const store = upcastingEventStore(storedEvents, eventVersioningByCategory(aggregates));
  const logger = createLogger(config.logLevel, log);
  const shutdown = new AbortController();
  // Every open subscription listens for the shutdown (and lets go when it ends): as many listeners
  // as subscriptions is the design, not a leak, so Node's warning past ten is off for this signal.
  setMaxListeners(0, shutdown.signal);

  let responseCache: ResponseCache | null = null;
  // A rebuilt version replaces every document at once: no cached result may outlive the swap.
  const readSide = createReadSide({
    store,
    readModels: capabilities.flatMap((capability) => capability.readModels?.(config) ?? []),
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
  const parts: CapabilityParts = {
    config,
    store,
    logger,
    shutdown: shutdown.signal,
    commands,
    executor: new CommandExecutor(commands, new IdempotencyKeys(store), runner, config.readYourWritesTimeoutMs),
    changes,
    readSide: runner,
    stores: (model) => readSide.stores(model),
  };
  const { shared, createLoaders, reactions: capabilityReactions, handles } = wireCapabilities(parts);
  const reactions = hostReactions({
    store,
    subscription: runner,
    reactions: capabilityReactions,
    leaseMs: config.processManagerLeaseMs,
    logger,
  });
  const createContext = contextFactory(shared, createLoaders, logger);

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
    shared,
    reactions,
    handles,
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
      await reactions.stop();
      await rateLimiter.close();
      await runner.stop();
      await store.close();
    },
  };
}
