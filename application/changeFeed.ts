/**
 * Turns the read side's change notifications into async iterables for GraphQL subscriptions, one
 * typed channel per projection, indexed by document id and by the channel's keys (changeChannel.ts):
 * a subscriber to one order, or to one customer's orders, is woken only by changes to those. A
 * change costs one lookup per index, not one call per subscriber. One listener on the read side
 * serves them all. Every iterable ends when the gateway shuts down.
 */
import { Repeater } from '@repeaterjs/repeater';
import type { RecordedEvent } from '../eventStore/port';
import type { ChangeChannel, ChangeKey } from '../projections/changeChannel';
import type { DocumentChange } from '../projections/projection';
import { tracedDelivery } from './tracing/subscriptionDelivery';
import { capturedContext } from './tracing/tracing';

export interface ChangeSource {
  onChange(listener: (change: DocumentChange) => void): () => void;
}

/** A document a projection changed (deletions are not fed: no subscription shows them). */
export interface TypedChange<Document> {
  readonly id: string;
  readonly document: Document;
  readonly event: RecordedEvent;
}

type Listener = (change: DocumentChange) => void;

/** The subscribers by one key's value, and how to read that value off a document of the channel. */
interface KeyIndex {
  readonly of: (document: unknown) => string;
  readonly byValue: Map<string, Set<Listener>>;
}

interface ProjectionListeners {
  readonly everyDocument: Set<Listener>;
  readonly byId: Map<string, Set<Listener>>;
  readonly byKey: Map<string, KeyIndex>;
}

export class ChangeFeed {
  private readonly listeners = new Map<string, ProjectionListeners>();
  private listenerCount = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: ChangeSource,
    private readonly shutdown: AbortSignal,
  ) {}

  /**
   * Emits `initial()` (if any) first, then `select(change)` for each change of the channel (of the
   * document `id` only, or of the documents whose `key` has the given value, when given) it does
   * not skip. Listening starts before `initial()` is read, so no change between the two is lost;
   * callers skip changes already reflected in the initial value.
   */
  stream<Document, Value>(
    channel: ChangeChannel<Document>,
    options: {
      readonly id?: string;
      readonly key?: { readonly by: ChangeKey<Document>; readonly value: string };
      readonly select: (change: TypedChange<Document>) => Value | undefined;
      readonly initial?: () => Value | undefined;
    },
  ): AsyncIterable<Value> {
    // The subscription operation's span (when tracing): each delivery links to it.
    const subscription = capturedContext();
    return new Repeater<Value>(async (push, stop) => {
      const unsubscribe = this.listen(channel.projection, options, (change) => {
        let value: Value | undefined;
        try {
          // The channel's projection publishes documents of its type (projections/changeChannel.ts).
          value = options.select(change as TypedChange<Document>);
        } catch (error) {
          // One subscriber's failure ends that subscription only, never the others' feed.
          stop(error);
          return;
        }
        if (value !== undefined) tracedDelivery(push(value), change, subscription).catch(stop);
      });
      const onShutdown = () => stop();
      if (this.shutdown.aborted) stop();
      this.shutdown.addEventListener('abort', onShutdown, { once: true });
      const initial = options.initial?.();
      if (initial !== undefined) await push(initial);
      await stop;
      unsubscribe();
      this.shutdown.removeEventListener('abort', onShutdown);
    });
  }

  private listen<Document>(
    projection: string,
    { id, key }: { readonly id?: string; readonly key?: { readonly by: ChangeKey<Document>; readonly value: string } },
    listener: Listener,
  ): () => void {
    let forProjection = this.listeners.get(projection);
    if (!forProjection) this.listeners.set(projection, (forProjection = { everyDocument: new Set(), byId: new Map(), byKey: new Map() }));
    const { set, forget } =
      id !== undefined
        ? slot(forProjection.byId, id)
        : key !== undefined
          ? keySlot(forProjection.byKey, key)
          : { set: forProjection.everyDocument, forget: () => {} };
    set.add(listener);
    // The read side is listened to only while someone is: it skips publishing when nobody listens.
    if (this.listenerCount++ === 0) this.unsubscribe = this.source.onChange((change) => this.dispatch(change));
    return () => {
      if (!set.delete(listener)) return;
      if (set.size === 0) forget();
      if (--this.listenerCount === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
      }
    };
  }

  private dispatch(change: DocumentChange): void {
    if (change.document === null) return;
    const forProjection = this.listeners.get(change.projection);
    if (!forProjection) return;
    for (const listener of [...forProjection.everyDocument]) listener(change);
    const forId = forProjection.byId.get(change.id);
    if (forId) for (const listener of [...forId]) listener(change);
    for (const index of forProjection.byKey.values()) {
      const forValue = index.byValue.get(index.of(change.document));
      if (forValue) for (const listener of [...forValue]) listener(change);
    }
  }
}

/** The listeners of one value in a map of them, made on first use and dropped with the last listener. */
function slot(map: Map<string, Set<Listener>>, value: string): { readonly set: Set<Listener>; readonly forget: () => void } {
  const set = map.get(value) ?? new Set<Listener>();
  map.set(value, set);
  return { set, forget: () => map.delete(value) };
}

function keySlot<Document>(
  indexes: Map<string, KeyIndex>,
  key: { readonly by: ChangeKey<Document>; readonly value: string },
): { readonly set: Set<Listener>; readonly forget: () => void } {
  let index = indexes.get(key.by.name);
  // The key reads documents of its channel's projection, which is the only projection this index sees.
  if (!index) indexes.set(key.by.name, (index = { of: key.by.of as (document: unknown) => string, byValue: new Map() }));
  const { set, forget } = slot(index.byValue, key.value);
  const keyIndex = index;
  return {
    set,
    forget: () => {
      forget();
      if (keyIndex.byValue.size === 0) indexes.delete(key.by.name);
    },
  };
}
