import type { AggregateEvents } from './aggregate';
import { inventoryItemAggregate } from './inventory';
import { orderAggregate } from './orders';
import { paymentAggregate } from './payments';

/** The shop's aggregates: their event versions and schemas are folded from this list (adding one: one line). */
export const shopAggregates: readonly AggregateEvents[] = [inventoryItemAggregate, orderAggregate, paymentAggregate];
