/**
 * The gateway on a port: the app (gatewayApp.ts) behind HTTP routes and graphql-ws on the same port
 * and path, the start-up replay (the reactions attached first, so it is the only one), and an
 * orderly stop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventStore } from '../eventStore/port';
import type { RebuildableReadSide } from '../projections/rebuildableReadSide';
import type { CapabilityHandles } from './capabilities/capability';
import type { GatewayConfig } from './config';
import { createGatewayApp, type GatewayApp } from './gatewayApp';
import { httpRoutes } from './httpRoutes';
import { metricsHandler, startMetricsServer } from './metricsEndpoint';
import { seedDemoData } from './seed';
import { serveGraphQLOverWebSocket } from './webSocket';
import { GRAPHQL_PATH } from './yogaServer';

export { GRAPHQL_PATH } from './yogaServer';

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
  /** What the capabilities expose to operators and tests (the fulfilment process manager, the payment provider, …). */
  readonly handles: CapabilityHandles;
  readonly reactions: GatewayApp['reactions'];
  /** The separate metrics port (METRICS_PORT), or null when /metrics is not served apart. */
  readonly metricsPort: number | null;
  stop(): Promise<void>;
}

export async function startGateway({ config, store: storedEvents, log }: GatewayOptions): Promise<Gateway> {
  const app = await createGatewayApp(config, storedEvents, log);
  const { store, logger, yoga, readSide } = app;
  const serveMetrics = metricsHandler(app.metrics.registry, config.metrics.token);
  const httpServer: Server = createServer(
    httpRoutes({
      maxBodyBytes: config.limits.maxBodyBytes,
      serveMetrics: config.metrics.onApiPort ? serveMetrics : null,
      yoga,
      devToken: app.devToken,
    }),
  );
  const webSocket = serveGraphQLOverWebSocket({
    httpServer,
    path: GRAPHQL_PATH,
    maxPayload: config.limits.maxBodyBytes,
    limits: config.limits,
    yoga,
    authenticate: app.authenticate,
    createContext: app.createContext,
    logger,
  });
  app.countOpenSockets(webSocket.openSockets);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  // Listening comes before the start-up replay, so /health and queries answer while the
  // projections catch up (the replay yields to the event loop); /ready stays 503 until they have.
  // The reactions follow the read side's subscription from its first event: attached before it
  // starts, they fold history as it is replayed instead of reading it again.
  if (config.runProcessManager) await app.reactions.start();
  await readSide.runner.start();
  if (config.seedDemoData) {
    const { inventory, orders, reads } = app.shared;
    const seedActor = { role: 'admin', id: 'demo-seed' } as const;
    await seedDemoData({ store, inventory, orders, orderById: (id) => reads.orders.byIds([id], seedActor)[0] ?? null, logger });
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}${GRAPHQL_PATH}`;
  const metricsServer = config.metrics.port === null ? null : await startMetricsServer(config.host, config.metrics.port, serveMetrics);
  logger.info('gateway listening', { url, eventStore: store.kind, ...(metricsServer ? { metricsPort: metricsServer.port } : {}) });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down');
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      app.endSubscriptions();
      await webSocket.close();
      metricsServer?.server.close();
      metricsServer?.server.closeAllConnections();
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await app.dispose();
      logger.info('stopped');
    })();
    return stopping;
  };

  return {
    url,
    port,
    store,
    runner: readSide.runner,
    handles: app.handles,
    reactions: app.reactions,
    metricsPort: metricsServer?.port ?? null,
    stop,
  };
}
