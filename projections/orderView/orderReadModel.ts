import { documentProjection } from '../projection';
import type { ReadModel } from '../readModel';
import { orderViewDefinition } from './orderView';
import { InMemoryOrderViewStore, type OrderViewStore } from './orderViewStore';

/** Every order with its fulfilment steps, by id and by customer. */
export const orderReadModel: ReadModel<{ readonly orders: OrderViewStore }> = {
  name: 'orderView',
  createStores: () => ({ orders: new InMemoryOrderViewStore() }),
  projections: ({ orders }) => [documentProjection(orderViewDefinition, orders)],
};
