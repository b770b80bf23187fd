/**
 * Where events enter the read side: an event of one of the shop's aggregate streams is applied
 * only if its type is one of that aggregate's and its data matches the type's schema (the same
 * schemas the write side folds with). Streams of other categories are not the shop's aggregates
 * and are left to whichever projection reads them. An event whose version is newer than the
 * gateway knows is refused too: its shape is not one this code can read.
 */
import { checkEvent } from '../domain/eventSchema';
import { shopAggregates } from '../domain/shopAggregates';
import { shopEventVersioning } from '../domain/shopEventVersioning';
import type { RecordedEvent } from '../eventStore/port';
import { streamCategory } from '../eventStore/port';

const schemasByCategory: ReadonlyMap<string, Parameters<typeof checkEvent>[0]> = new Map(
  shopAggregates.map((aggregate) => [aggregate.category, aggregate.eventSchemas]),
);

/**
 * The last event checked and its verdict. The single subscription hands one event object to every
 * projection, one after the other, and then to every reaction (an order event reaches four of them);
 * a recorded event never changes, so consecutive checks of the same object reuse the verdict. One
 * slot, not a map: nothing is allocated per event, which a replay of a million events would feel.
 */
let lastEvent: RecordedEvent | null = null;
let lastVerdict: string | null = null;

/** Why the event must not be applied (it names the event type and what is wrong), or null. */
export function checkShopEvent(event: RecordedEvent): string | null {
  const category = streamCategory(event.streamName);
  const schemas = schemasByCategory.get(category);
  if (schemas === undefined) return null;
  if (event === lastEvent) return lastVerdict;
  // The read path has upcast the event already (application/upcastingEventStore.ts): a version still newer than current is refused here.
  const checked = checkEvent(schemas, event, shopEventVersioning.get(category)?.currentVersions);
  lastEvent = event;
  lastVerdict = checked.valid ? null : checked.reason;
  return lastVerdict;
}
