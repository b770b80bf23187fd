/**
 * A stand-in for a subscription's async iterator that knows when the stream is over, however it
 * ends (the source completes or fails, the client goes away and the transport calls `return()`),
 * and can end the stream itself at a deadline (the session's token expiry) with one last value.
 *
 * Written as a plain iterator object rather than an async generator: a generator's `return()` waits
 * for a pending `next()`, so a disconnected client's stream would stay open until its next event.
 */
export interface StreamGuard<T> {
  /** Called exactly once, when the stream is over for any reason. */
  readonly onFinish?: () => void;
  /** End the stream at `at` (epoch ms), after sending `last()`. */
  readonly deadline?: { readonly at: number; readonly last: () => T };
}

/** setTimeout's ceiling (about 24.8 days); a later deadline is re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

export function guardStream<T>(source: AsyncIterable<T>, guard: StreamGuard<T>): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let expire: (() => void) | undefined;
  const expired = new Promise<'expired'>((resolve) => (expire = () => resolve('expired')));
  const arm = () => {
    if (!guard.deadline || finished) return;
    const wait = guard.deadline.at - Date.now();
    if (wait <= 0) expire!();
    else timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS)).unref();
  };
  arm();
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    guard.onFinish?.();
  };
  const done = (): IteratorResult<T> => ({ done: true, value: undefined });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return done();
      let next: IteratorResult<T> | 'expired';
      try {
        next = guard.deadline ? await Promise.race([iterator.next(), expired]) : await iterator.next();
      } catch (error) {
        finish();
        throw error;
      }
      if (finished) return done();
      if (next === 'expired') {
        finish();
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
        return { done: false, value: guard.deadline!.last() };
      }
      if (next.done) finish();
      return next;
    },
    async return() {
      const wasFinished = finished;
      finish();
      if (!wasFinished) await iterator.return?.();
      return done();
    },
    async throw(error?: unknown) {
      finish();
      await iterator.return?.();
      throw error;
    },
  };
}
