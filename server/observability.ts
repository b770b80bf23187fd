/**
 * Operations: Prometheus metrics, structured request logs with the correlation id, and the
 * readiness check (store reachable, projections caught up within a lag bound).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../application/context';
import { actorName } from '../application/actor';
import type { EventStore, Position } from '../eventStore/port';
import type { Logger, ReadSide } from '../projections/projectionRunner';
import { guardStream, isAsyncIterable } from './asyncIterators';
import { requestStateOf } from './requestState';
import { sharedSourceOf, type SubscriberCount } from './sharedSubscriptions';

export interface Metrics {
  readonly registry: Registry;
  readonly commandOutcome: (command: string, outcome: string, seconds: number) => void;
  readonly plugin: Plugin;
}

/** Events between the projections' checkpoint and the head of `$all`, counted up to `bound + 1`. */
export async function projectionLag(store: EventStore, runner: ReadSide, bound: number): Promise<{ events: number; seconds: number }> {
  const [head] = await store.readAll({ direction: 'backwards', maxCount: 1 });
  const checkpoint: Position | null = runner.checkpoint;
  if (!head || (checkpoint !== null && head.position <= checkpoint)) return { events: 0, seconds: 0 };
  const behind = await store.readAll({ ...(checkpoint === null ? {} : { fromPosition: checkpoint }), maxCount: bound + 2 });
  const pending = behind.filter((event) => checkpoint === null || event.position > checkpoint);
  const oldest = pending[0];
  return { events: pending.length, seconds: oldest ? Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000) : 0 };
}

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  return document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (operationName == null || definition.name?.value === operationName),
  );
}

export const OTHER_LABEL = 'other';
const MAX_LABEL_CHARS = 64;
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * Operation names are chosen by clients, so they may not become label values unchecked (each
 * value is a time series kept for the life of the process). The first `max` distinct names of
 * at most 64 characters get their own label; any other name counts as "other".
 */
export class OperationNameLabels {
  private readonly known = new Set<string>();
  constructor(private readonly max: number) {}

  label(name: string | undefined): string {
    if (name === undefined) return 'anonymous';
    if (this.known.has(name)) return name;
    if (name.length > MAX_LABEL_CHARS || !NAME.test(name) || this.known.size >= this.max) return OTHER_LABEL;
    this.known.add(name);
    return name;
  }
}

/** Error codes are the server's own, but a label takes only a code-shaped value. */
function outcomeLabel(code: unknown): string {
  return typeof code === 'string' && CODE.test(code) ? code : 'error';
}

export function createMetrics(deps: {
  store: EventStore;
  runner: ReadSide;
  openSockets: () => number;
  logger: Logger;
  lagBound: number;
  maxOperationNames: number;
}): Metrics {
  const operationNames = new OperationNameLabels(deps.maxOperationNames);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations executed, by type, name and outcome (ok or the first error code)',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time to execute a query or mutation',
    labelNames: ['type', 'name'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const commands = new Counter({
    name: 'commands_total',
    help: 'Commands handled, by command type and outcome (appended, unchanged, replayed, or the error code)',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  });
  const commandDuration = new Histogram({
    name: 'command_duration_seconds',
    help: 'Time from loading the stream to the acknowledged append',
    labelNames: ['command'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  let openSubscriptions = 0;
  const sharedSources = new Set<SubscriberCount>();
  new Gauge({
    name: 'graphql_subscriptions_open',
    help: 'Open GraphQL subscriptions (WebSocket and SSE)',
    registers: [registry],
    collect() {
      let shared = 0;
      for (const source of sharedSources) shared += source.subscriberCount;
      this.set(openSubscriptions + shared);
    },
  });
  new Gauge({
    name: 'websocket_connections_open',
    help: 'Open WebSocket connections',
    registers: [registry],
    collect() {
      this.set(deps.openSockets());
    },
  });
  new Gauge({
    name: 'projection_failures',
    help: 'Projections suspended at an event they failed on (dead letters)',
    registers: [registry],
    collect() {
      this.set(deps.runner.failures.length);
    },
  });
  new Gauge({
    name: 'projection_events_processed_total',
    help: 'Events the projection runner has applied since start',
    registers: [registry],
    collect() {
      this.set(deps.runner.status.processedEvents);
    },
  });
  // Counted when scraped: one bounded read of $all.
  let lastLag: Promise<{ events: number; seconds: number }> | null = null;
  const lag = () => (lastLag ??= projectionLag(deps.store, deps.runner, deps.lagBound).finally(() => setImmediate(() => (lastLag = null))));
  new Gauge({
    name: 'projection_lag_events',
    help: 'Events in $all not yet applied by the projections (counted up to the readiness bound + 1)',
    registers: [registry],
    async collect() {
      this.set((await lag().catch(() => ({ events: Number.NaN }))).events);
    },
  });
  new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event not yet applied by the projections',
    registers: [registry],
    async collect() {
      this.set((await lag().catch(() => ({ seconds: Number.NaN }))).seconds);
    },
  });

  const plugin: Plugin = {
    onExecute: ({ args }) => {
      const started = process.hrtime.bigint();
      const operation = operationOf(args.document as DocumentNode, args.operationName);
      const type = operation?.operation ?? 'unknown';
      const operationName = operation?.name?.value;
      const name = operationNames.label(operationName);
      return {
        onExecuteDone: ({ result }) => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors = 'errors' in result && result.errors ? result.errors : [];
          const outcome = errors.length === 0 ? 'ok' : outcomeLabel(errors[0]?.extensions?.code);
          operations.inc({ type, name, outcome });
          duration.observe({ type, name }, seconds);
          if (type !== 'mutation' && errors.length === 0) return;
          const context = args.contextValue as Partial<GatewayContext>;
          const fields = {
            // The log may say more than the label, but bounded (the logger cuts long fields).
            operation: operationName ?? 'anonymous',
            type,
            durationMs: Math.round(seconds * 1000 * 100) / 100,
            outcome,
            actor: context.scope ? actorName(context.scope.actor) : undefined,
          };
          // The request's own logger carries its correlation id; it is made on first use, so only
          // for an operation that is logged.
          const requestState = requestStateOf(context);
          const log = requestState?.logger ?? deps.logger;
          log.info('graphql operation', requestState ? fields : { ...fields, correlationId: context.scope?.correlationId });
        },
      };
    },
    // Counts streams that started (a refused subscription answers with errors, not a stream), and
    // counts each down exactly once however it ends: completed, failed, or its client gone.
    // The execution behind shared subscribers (sharedSubscriptions.ts) is not one more: its
    // subscribers are counted, as many as it has when scraped.
    onSubscribe: ({ args }) => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) return;
        const shared = sharedSourceOf(args.contextValue);
        if (shared) {
          sharedSources.add(shared);
          setResult(guardStream(result as AsyncIterable<unknown>, { onFinish: () => sharedSources.delete(shared) }) as never);
          return;
        }
        openSubscriptions += 1;
        setResult(guardStream(result as AsyncIterable<unknown>, { onFinish: () => (openSubscriptions -= 1) }) as never);
      },
    }),
  };

  return {
    registry,
    commandOutcome: (command, outcome, seconds) => {
      commands.inc({ command, outcome });
      commandDuration.observe({ command }, seconds);
    },
    plugin,
  };
}
