/**
 * One execution per change for many subscribers: graphql-ws subscribers of the same operation with
 * the same variables and the same actor share one subscription execution; each result is
 * serialized once, and each socket gets a `next` frame built by concatenating its own operation id
 * around that shared payload.
 *
 * How it fits graphql-ws and the envelop plugins:
 * - A subscriber that shares gets, as its graphql-ws root, a `subscribe` that joins the execution
 *   instead of executing (`sharedSubscriptionRoot`): a parked stream that yields nothing itself,
 *   ends when the shared execution ends (graphql-ws then sends `complete`), and leaves the
 *   execution when graphql-ws returns it (the client completed, the socket closed, the token
 *   expired and closed it). The subscriber keeps no context, envelop instance or stream wrappers
 *   of its own.
 * - The shared execution runs through yoga's `subscribe` (every plugin sees it) with the first
 *   subscriber's context, marked as a shared source: the metrics count its subscribers, not it.
 * - It stops when its last subscriber leaves; a subscriber that joins later starts a new one.
 */
import { isAsyncIterable } from './asyncIterators';

/** The part of a WebSocket the frames are written to. */
export interface FrameSink {
  readonly readyState: number;
  readonly OPEN: number;
  send(frame: string): void;
}

export interface SharedSubscriber {
  /** The graphql-ws operation id the client chose. */
  readonly id: string;
  readonly sink: FrameSink;
}

/** How many subscribers an execution serves (the metrics count them, not the execution). */
export interface SubscriberCount {
  readonly subscriberCount: number;
}

const SHARED_SOURCE = Symbol('sharedSubscriptionSource');

/** Marks the context of the one execution a group of subscribers shares. */
export function markSharedSource<Context extends object>(context: Context, execution: SubscriberCount): Context {
  Object.defineProperty(context, SHARED_SOURCE, { value: execution });
  return context;
}

/** The execution behind shared subscribers, when `context` is its context. */
export function sharedSourceOf(context: unknown): SubscriberCount | undefined {
  return typeof context === 'object' && context !== null
    ? (context as Record<symbol, SubscriberCount | undefined>)[SHARED_SOURCE]
    : undefined;
}

/**
 * The graphql-ws root of a subscriber that shares (webSocket.ts calls `rootValue.subscribe`). Its own
 * scope keeps only what joining needs, and lets go of `start` once joined.
 */
export function sharedSubscriptionRoot(
  executions: SharedSubscriptions,
  key: string,
  subscriber: SharedSubscriber,
  start: (execution: SubscriberCount) => unknown,
): { subscribe(): Promise<unknown> } {
  // graphql-ws keeps this root for as long as the subscription lasts: what joining needs (the
  // key is as long as the operation's text) is let go once joined.
  let pending: { key: string; subscriber: SharedSubscriber; start: (execution: SubscriberCount) => unknown } | null = {
    key,
    subscriber,
    start,
  };
  return {
    subscribe() {
      const joining = pending;
      if (joining === null) return Promise.reject(new Error('A shared subscriber subscribes once'));
      pending = null;
      return executions.join(joining.key, joining.subscriber, joining.start);
    },
  };
}

type Outcome = { readonly kind: 'done' } | { readonly kind: 'failed'; readonly error: unknown };

/** One subscriber as the shared execution sees it, and the stream graphql-ws iterates for it. */
class ParkedSubscriber implements AsyncIterableIterator<never> {
  /** `{"id":"<id>","type":"next","payload":` — the payload and a closing brace complete a frame. */
  private readonly framePrefix: string;
  private outcome: Outcome | null = null;
  // The one pending `next()` graphql-ws waits on (it asks for one value at a time): kept as its
  // settle functions, not as a promise chain, since there are as many of these as subscribers.
  private resolvePending: ((result: IteratorResult<never>) => void) | null = null;
  private rejectPending: ((error: unknown) => void) | null = null;

  constructor(
    subscriber: SharedSubscriber,
    private readonly sink: FrameSink,
    private readonly execution: SharedExecution,
  ) {
    this.framePrefix = `{"id":${JSON.stringify(subscriber.id)},"type":"next","payload":`;
  }

  deliver(payload: string): void {
    if (this.outcome === null && this.sink.readyState === this.sink.OPEN) this.sink.send(this.framePrefix + payload + '}');
  }

  end(outcome: Outcome): void {
    if (this.outcome !== null) return;
    this.outcome = outcome;
    if (outcome.kind === 'failed') this.rejectPending?.(outcome.error);
    else this.resolvePending?.({ done: true, value: undefined });
    this.resolvePending = this.rejectPending = null;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<never>> {
    const outcome = this.outcome;
    if (outcome !== null) {
      return outcome.kind === 'failed' ? Promise.reject(outcome.error) : Promise.resolve({ done: true, value: undefined });
    }
    return new Promise((resolve, reject) => {
      this.resolvePending = resolve;
      this.rejectPending = reject;
    });
  }

  return(): Promise<IteratorResult<never>> {
    this.end({ kind: 'done' });
    this.execution.remove(this);
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<never>> {
    this.end({ kind: 'done' });
    this.execution.remove(this);
    return Promise.reject(error);
  }
}

/** The execution a group of subscribers shares, from its start until its source ends or its last subscriber leaves. */
class SharedExecution implements SubscriberCount {
  private readonly subscribers = new Set<ParkedSubscriber>();
  private iterator: AsyncIterator<unknown> | null = null;
  private closed = false;
  /** 'stream' once the source is streaming; otherwise the single result every would-be subscriber gets (an error). */
  readonly started: Promise<'stream' | { readonly result: unknown }>;

  constructor(
    start: (execution: SubscriberCount) => unknown,
    private readonly onClosed: () => void,
  ) {
    this.started = (async () => {
      let result: unknown;
      try {
        // Never synchronously: the execution is registered under its key before it can close.
        result = await Promise.resolve(this).then(start);
      } catch (error) {
        this.close();
        throw error;
      }
      if (!isAsyncIterable(result)) {
        this.close();
        return { result };
      }
      this.iterator = result[Symbol.asyncIterator]();
      void this.pump(this.iterator);
      return 'stream' as const;
    })();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  add(subscriber: SharedSubscriber): ParkedSubscriber {
    const parked = new ParkedSubscriber(subscriber, subscriber.sink, this);
    this.subscribers.add(parked);
    return parked;
  }

  remove(subscriber: ParkedSubscriber): void {
    if (!this.subscribers.delete(subscriber) || this.subscribers.size > 0) return;
    // Nobody left: the source stops (its listeners on the read side go).
    const iterator = this.iterator;
    this.close();
    void Promise.resolve(iterator?.return?.()).catch(() => undefined);
  }

  private async pump(iterator: AsyncIterator<unknown>): Promise<void> {
    let outcome: Outcome = { kind: 'done' };
    try {
      for (;;) {
        const next = await iterator.next();
        if (this.closed || next.done) break;
        const payload = JSON.stringify(next.value);
        for (const subscriber of this.subscribers) subscriber.deliver(payload);
      }
    } catch (error) {
      outcome = { kind: 'failed', error };
    }
    this.close();
    for (const subscriber of this.subscribers) subscriber.end(outcome);
    this.subscribers.clear();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}

/** The shared executions of one server, by sharing key (subscriptionSharingKey.ts). */
export class SharedSubscriptions {
  private readonly executions = new Map<string, SharedExecution>();

  get executionCount(): number {
    return this.executions.size;
  }

  /**
   * Joins the execution running under `key`, starting it (`start`: the subscription through yoga,
   * for this subscriber's context) if none runs. Resolves to the subscriber's parked stream, or to
   * the single result the start gave instead of a stream (e.g. a refusal), as `subscribe` would.
   */
  async join(key: string, subscriber: SharedSubscriber, start: (execution: SubscriberCount) => unknown): Promise<unknown> {
    for (;;) {
      let execution = this.executions.get(key);
      if (!execution) {
        const created: SharedExecution = new SharedExecution(start, () => {
          if (this.executions.get(key) === created) this.executions.delete(key);
        });
        execution = created;
        this.executions.set(key, execution);
      }
      const started = await execution.started;
      if (started !== 'stream') return started.result;
      // It may have ended while this subscriber waited for its start: then a new one is started.
      if (!execution.isClosed) return execution.add(subscriber);
    }
  }
}
