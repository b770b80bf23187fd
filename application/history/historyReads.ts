/**
 * The event history: `$all` or one stream with filters and cursors, aggregates as they were at a
 * revision or a time (folded with the read side's own pure reducers), and a resumable live feed.
 */
import { Repeater } from '@repeaterjs/repeater';
import { inventoryItemStreamName } from '../../domain/inventory';
import { orderStreamName } from '../../domain/orders';
import { paymentStreamName } from '../../domain/payments';
import { InvalidInputError } from '../../domain/errors';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore, Position, RecordedEvent } from '../../eventStore/port';
import { streamCategory } from '../../eventStore/port';
import type { InventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import { evolveInventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import type { OrderView } from '../../projections/orderView/orderView';
import { evolveOrderView } from '../../projections/orderView/orderView';
import { checkShopEvent } from '../../projections/eventChecks';
import type { Page, PageRequest } from '../../projections/pagination';
import { pageSizesOf } from '../../projections/pagination';
import { occurredAt } from '../../projections/projection';
import { CorruptStreamError } from '../errors';
import { EventFollower, type PublishedEvents } from '../subscription/eventFollower';
import { canonicalUuid } from '../ids';

export interface EventFilter {
  readonly streamName?: string | null;
  readonly category?: string | null;
  readonly types?: readonly string[] | null;
  /** ISO-8601, inclusive bounds on when the event occurred. */
  readonly from?: string | null;
  readonly to?: string | null;
}

/** The read models' page request; here `after` and `before` are event positions, not opaque cursors. */
export type EventPageRequest = PageRequest;

/** A read-model page without its count: counting would scan the whole history. */
export type EventPage = Omit<Page<RecordedEvent>, 'totalCount'>;

const SCAN_BATCH = 500;

/** Positions are 64-bit on every backend; SQLite's are signed, so the largest either can hold is 2^63 − 1. */
export const MAX_POSITION = 2n ** 63n - 1n;

/** A cursor's syntax and range, before any store is asked. */
function parsePosition(cursor: string, name: string): Position {
  if (!/^\d{1,20}$/.test(cursor))
    throw new InvalidInputError(`${name} must be an event position (a decimal string of up to 20 digits)`, name);
  const position = BigInt(cursor);
  if (position > MAX_POSITION) throw new InvalidInputError(`${name} is above the largest event position (${MAX_POSITION})`, name);
  return position;
}

/** A cursor must name a position a client can have seen: at most the last event's. */
function assertNotBeyondHead(position: Position, head: Position | null, name: string): void {
  if (head === null ? position > 0n : position > head) {
    throw new InvalidInputError(
      `${name} (${position}) is beyond the last event's position (${head === null ? 'the store is empty' : head.toString()}); pass a position an event was delivered with`,
      name,
    );
  }
}

function matcher(filter: EventFilter): (event: RecordedEvent) => boolean {
  const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : null;
  const from = filter.from ? Date.parse(filter.from) : null;
  const to = filter.to ? Date.parse(filter.to) : null;
  return (event) => {
    if (filter.streamName && event.streamName !== filter.streamName) return false;
    if (filter.category && streamCategory(event.streamName) !== filter.category) return false;
    if (types && !types.has(event.type)) return false;
    if (from !== null || to !== null) {
      const at = Date.parse(occurredAt(event));
      if (from !== null && at < from) return false;
      if (to !== null && at > to) return false;
    }
    return true;
  };
}

export class HistoryReads {
  constructor(
    private readonly store: EventStore,
    /** The gateway's single `$all` subscription: every client's feed follows it (no subscription per client). */
    private readonly published: PublishedEvents,
    private readonly shutdown: AbortSignal,
  ) {}

  categoryOf(event: RecordedEvent): string {
    return streamCategory(event.streamName);
  }

  occurredAt(event: RecordedEvent): string {
    return occurredAt(event);
  }

  /** Oldest first from `after`, or with `last`/`before` the newest before a cursor. */
  async list(filter: EventFilter, page: EventPageRequest): Promise<EventPage> {
    const { first, last } = pageSizesOf(page, (message, field) => new InvalidInputError(message, field));
    const after = page.after ? parsePosition(page.after, 'after') : null;
    const before = page.before ? parsePosition(page.before, 'before') : null;
    const head = after !== null || before !== null ? await this.head() : null;
    if (after !== null) assertNotBeyondHead(after, head, 'after');
    if (before !== null) assertNotBeyondHead(before, head, 'before');
    const backwards = last !== null || (before !== null && first === null);
    const limit = (backwards ? last : first) ?? 20;
    const matches = matcher(filter);
    const inRange = (event: RecordedEvent) => (after === null || event.position > after) && (before === null || event.position < before);

    const selected: RecordedEvent[] = [];
    let more = false;
    for await (const event of this.scan(filter, backwards, backwards ? before : after)) {
      if (!inRange(event)) {
        if (backwards ? after !== null && event.position <= after : before !== null && event.position >= before) break;
        continue;
      }
      if (!matches(event)) continue;
      if (selected.length === limit) {
        more = true;
        break;
      }
      selected.push(event);
    }
    if (backwards) selected.reverse();
    const edges = selected.map((node) => ({ cursor: node.position.toString(), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: backwards ? false : more,
        hasPreviousPage: backwards ? more : false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }

  /** One stream when the filter names it, else `$all`, in batches, from just past `from`. */
  private async *scan(filter: EventFilter, backwards: boolean, from: Position | null): AsyncGenerator<RecordedEvent> {
    if (filter.streamName) {
      let events: RecordedEvent[];
      try {
        events = await this.store.readStream(filter.streamName, { direction: backwards ? 'backwards' : 'forwards' });
      } catch (error) {
        if (error instanceof StreamNotFoundError) return;
        throw error;
      }
      yield* events;
      return;
    }
    let cursor = from;
    for (;;) {
      const batch = await this.store.readAll({
        direction: backwards ? 'backwards' : 'forwards',
        ...(cursor === null ? {} : { fromPosition: cursor }),
        maxCount: SCAN_BATCH,
      });
      // readAll includes its starting position: skip it after the first batch.
      const fresh = cursor === null ? batch : batch.filter((event) => event.position !== cursor);
      yield* fresh;
      if (batch.length < SCAN_BATCH || fresh.length === 0) return;
      cursor = fresh[fresh.length - 1]!.position;
    }
  }

  /** The item as the read side would have shown it after `revision`, or at time `at`. */
  async inventoryItemAt(id: string, at: { revision?: number | null; time?: string | null }): Promise<InventoryItemView | null> {
    const itemId = canonicalUuid(id);
    if (itemId === null) return null;
    const events = await this.readUpTo(inventoryItemStreamName(itemId), at);
    return events.reduce<InventoryItemView | null>(evolveInventoryItemView, null);
  }

  /** The order after its order-stream `revision` (with the payment steps up to then), or at time `at`. */
  async orderAt(id: string, at: { revision?: number | null; time?: string | null }): Promise<OrderView | null> {
    const orderId = canonicalUuid(id);
    if (orderId === null) return null;
    const orderEvents = await this.readUpTo(orderStreamName(orderId), at);
    const last = orderEvents[orderEvents.length - 1];
    if (!last) return null;
    const paymentEvents = (await this.readUpTo(paymentStreamName(orderId), { time: at.time ?? null })).filter(
      (event) => at.revision === null || at.revision === undefined || event.position <= last.position,
    );
    return [...orderEvents, ...paymentEvents]
      .sort((a, b) => (a.position < b.position ? -1 : 1))
      .reduce<OrderView | null>(evolveOrderView, null);
  }

  private async readUpTo(streamName: string, at: { revision?: number | null; time?: string | null }): Promise<RecordedEvent[]> {
    if (at.revision !== null && at.revision !== undefined && (!Number.isInteger(at.revision) || at.revision < 0)) {
      throw new InvalidInputError('revision must be a whole number from 0', 'revision');
    }
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamName);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    const until = at.time ? Date.parse(at.time) : null;
    const selected = events.filter(
      (event) =>
        (at.revision === null || at.revision === undefined || event.revision <= at.revision) &&
        (until === null || Date.parse(occurredAt(event)) <= until),
    );
    // The read side's reducers fold only events that pass their schema, here as in the projections.
    for (const event of selected) {
      const rejection = checkShopEvent(event);
      if (rejection !== null) throw new CorruptStreamError(streamName, event.id, event.type, event.revision, rejection);
    }
    return selected;
  }

  /** The position of the last event in `$all`, or null for an empty store. */
  private async head(): Promise<Position | null> {
    return (await this.store.readAll({ direction: 'backwards', maxCount: 1 }))[0]?.position ?? null;
  }

  /**
   * Events after `after` (a position), replaying what the client missed, then live, in `$all`
   * order. Without a cursor, only events from now on. A cursor beyond the last event is refused
   * before the subscription starts: no event could ever be delivered past it without skipping
   * every event written below it in the meantime.
   */
  async feed(after: string | null | undefined, filter: EventFilter): Promise<AsyncIterable<RecordedEvent>> {
    const from = after ? parsePosition(after, 'after') : undefined;
    if (from !== undefined) assertNotBeyondHead(from, await this.head(), 'after');
    const matches = matcher(filter);
    return new Repeater<RecordedEvent>(async (push, stop) => {
      // From the client's cursor (or the store's last event: "from now on"): the store up to where the
      // single subscription has got, then that subscription's live events, with no gap or repeat.
      const start = from ?? (await this.head());
      const events = new EventFollower(this.store, this.published, { after: start });
      const end = () => events.close();
      this.shutdown.addEventListener('abort', end, { once: true });
      void stop.then(end);
      if (this.shutdown.aborted) end();
      try {
        for await (const event of events) if (matches(event)) await push(event);
        stop();
      } catch (error) {
        stop(error);
      } finally {
        events.close();
        this.shutdown.removeEventListener('abort', end);
      }
    });
  }
}
