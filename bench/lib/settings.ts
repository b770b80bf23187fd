/** Every knob of the bench, from the environment (defaults keep `npm run bench` under ten minutes). */

function integer(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

function integers(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return [...fallback];
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1))
    throw new Error(`${name} must be a comma-separated list of whole numbers, got "${raw}"`);
  return values;
}

export const settings = {
  /** Seconds each measured load run lasts. */
  durationS: integer('BENCH_DURATION_S', 10, 1),
  /** Seconds of unmeasured load before each measured run (JIT, caches). */
  warmupS: integer('BENCH_WARMUP_S', 2),
  /** Side-by-side HTTP runs alternate the servers in slices this long, so all see the same noise. */
  sliceS: integer('BENCH_SLICE_S', 2, 1),
  /** Open connections the query load generator keeps busy. */
  queryConnections: integer('BENCH_QUERY_CONNECTIONS', 16, 1),
  /** Items in the catalogue for the query scenario. */
  queryItems: integer('BENCH_QUERY_ITEMS', 200, 20),
  /** Items the mutations spread over (round-robin). */
  mutationItems: integer('BENCH_MUTATION_ITEMS', 64, 1),
  mutationConcurrency: integers('BENCH_MUTATION_CONCURRENCY', [1, 16, 64]),
  /** Subscriber counts; each is measured against both servers. */
  subscribers: integers('BENCH_SUBSCRIBERS', [1000, 10000]),
  subscriptionChanges: integer('BENCH_SUBSCRIPTION_CHANGES', 100, 1),
  /** Caps changes × subscribers per server (10,000 subscribers → 40 changes) to keep the run short. */
  subscriptionMaxDeliveries: integer('BENCH_SUBSCRIPTION_MAX_DELIVERIES', 400_000, 1000),
  rebuildEvents: integer('BENCH_REBUILD_EVENTS', 1_000_000, 1000),
  rywConcurrency: integers('BENCH_RYW_CONCURRENCY', [1, 16]),
  /** Rebuild: repeat the replays, alternating their order; the median is reported. */
  rounds: integer('BENCH_ROUNDS', 1, 1),
};

export type Settings = typeof settings;

/** Settings as shown in BENCHMARKS.md. */
export function describeSettings(keys: ReadonlyArray<keyof Settings>): Record<string, string> {
  const names: Record<keyof Settings, string> = {
    durationS: 'BENCH_DURATION_S',
    warmupS: 'BENCH_WARMUP_S',
    sliceS: 'BENCH_SLICE_S',
    queryConnections: 'BENCH_QUERY_CONNECTIONS',
    queryItems: 'BENCH_QUERY_ITEMS',
    mutationItems: 'BENCH_MUTATION_ITEMS',
    mutationConcurrency: 'BENCH_MUTATION_CONCURRENCY',
    subscribers: 'BENCH_SUBSCRIBERS',
    subscriptionChanges: 'BENCH_SUBSCRIPTION_CHANGES',
    subscriptionMaxDeliveries: 'BENCH_SUBSCRIPTION_MAX_DELIVERIES',
    rebuildEvents: 'BENCH_REBUILD_EVENTS',
    rywConcurrency: 'BENCH_RYW_CONCURRENCY',
    rounds: 'BENCH_ROUNDS',
  };
  return Object.fromEntries(keys.map((key) => [names[key], String(settings[key])]));
}
