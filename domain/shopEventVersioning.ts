import type { EventVersioning } from './eventVersioning';
import { shopAggregates } from './shopAggregates';

/** Each aggregate's event versions, by the category of its streams (an event type belongs to its aggregate). */
export const shopEventVersioning: ReadonlyMap<string, EventVersioning> = new Map(
  shopAggregates.map((aggregate) => [aggregate.category, aggregate.eventVersioning]),
);
