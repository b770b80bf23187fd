/**
 * The child side of the bench's process protocol (see child.ts): every server and task the bench
 * starts runs in its own Node process and talks to the orchestrator over the IPC channel.
 */

type Handler = (data: unknown) => unknown;

const handlers = new Map<string, Handler>();
let stopHook: () => Promise<void> | void = () => {};

function send(message: object): void {
  if (!process.send) throw new Error('bench child processes must be started by bench/lib/child.ts (no IPC channel)');
  process.send(message);
}

/** The JSON input the orchestrator passed (BENCH_INPUT). */
export function taskInput<T>(): T {
  const raw = process.env.BENCH_INPUT;
  if (raw === undefined) throw new Error('BENCH_INPUT is not set');
  return JSON.parse(raw) as T;
}

/** Answers `request(name, data)` calls from the orchestrator. */
export function onRequest(name: string, handler: Handler): void {
  handlers.set(name, handler);
}

/** What runs on `stop` before the process exits (close servers, so --cpu-prof is written cleanly). */
export function onStop(hook: () => Promise<void> | void): void {
  stopHook = hook;
}

export function sendReady(data: object = {}): void {
  send({ type: 'ready', data });
}

export function sendEvent(name: string, data: object = {}): void {
  send({ type: 'event', name, data });
}

/** One-shot tasks: send the result, then exit (which also flushes a --cpu-prof profile). */
export function finish(data: object): void {
  send({ type: 'result', data });
  process.disconnect?.();
  setImmediate(() => process.exit(0));
}

export function fail(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    send({ type: 'failed', error: message });
  } catch {
    process.stderr.write(`${message}\n`);
  }
  setImmediate(() => process.exit(1));
}

/** Waits for one `event`-style message from the orchestrator, e.g. a go signal. */
export function waitForParent(name: string): Promise<unknown> {
  return new Promise((resolve) => {
    const listener = (message: { type?: string; name?: string; data?: unknown }) => {
      if (message?.type === 'signal' && message.name === name) {
        process.off('message', listener);
        resolve(message.data);
      }
    };
    process.on('message', listener);
  });
}

export function memoryFacts() {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, maxRss: process.resourceUsage().maxRSS * 1024 };
}

onRequest('memory', () => memoryFacts());
/** The monotonic clock V8's CPU profiles are stamped with (µs), to cut a profile down to the measured window. */
onRequest('clock', () => Number(process.hrtime.bigint() / 1000n));
onRequest('gc', async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
  }
  return memoryFacts();
});

process.on('message', (message: { type?: string; id?: number; name?: string; data?: unknown }) => {
  if (message?.type === 'stop') {
    Promise.resolve()
      .then(() => stopHook())
      .catch((error: unknown) => process.stderr.write(`stop failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
    return;
  }
  if (message?.type !== 'request' || message.name === undefined) return;
  const handler = handlers.get(message.name);
  Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`no handler for ${message.name}`);
      return handler(message.data);
    })
    .then(
      (data) => send({ type: 'reply', id: message.id, data }),
      (error: unknown) => send({ type: 'reply', id: message.id, error: String(error) }),
    );
});

// Never outlive the orchestrator.
process.on('disconnect', () => {
  Promise.resolve()
    .then(() => stopHook())
    .catch(() => {})
    .finally(() => process.exit(0));
});
