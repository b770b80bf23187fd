import type { AggregateEvents } from './aggregate';
import type { EventVersioning } from './eventVersioning';
import { shopAggregates } from './shopAggregates';

/** Each aggregate's event versions, by the category of its streams (an event type belongs to its aggregate). */
export function eventVersioningByCategory(aggregates: readonly AggregateEvents[]): ReadonlyMap<string, EventVersioning> {
  return new Map(aggregates.map((aggregate) => [aggregate.category, aggregate.eventVersioning]));
}

/** The shop's core aggregates' event versions (capabilities add theirs in the composition root). */
export const shopEventVersioning: ReadonlyMap<string, EventVersioning> = eventVersioningByCategory(shopAggregates);
