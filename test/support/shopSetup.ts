/**
 * The shop operations the e2e suites repeat to set a scene (stock to sell, an order's progress), sent
 * over real HTTP as the test admin. They return what the gateway answered and leave checking it to the test.
 */
import { graphql, type GraphQLResponse } from './gatewayHarness';

/** Puts `count` more units of the item on hand, answering with `fields` of the check-in's result. */
export function checkInItems(url: string, itemId: string, count: number, fields = 'revision'): Promise<GraphQLResponse> {
  return graphql(
    url,
    `
      mutation ($id: ID!) {
        checkInItems(input: { id: $id, count: ${count} }) {
          ${fields}
        }
      }
    `,
    { id: itemId },
  );
}

/** The order's status as the order view shows it now (undefined when the view does not have it). */
export async function orderStatus(url: string, orderId: string): Promise<string | undefined> {
  const result = await graphql(
    url,
    `
      query ($id: ID!) {
        order(id: $id) {
          status
        }
      }
    `,
    { id: orderId },
  );
  return result.data?.order?.status as string | undefined;
}

/** The item's stock on hand and version as the inventory view shows them now. */
export function inventoryItemStock(url: string, itemId: string): Promise<GraphQLResponse> {
  return graphql(
    url,
    `
      query ($id: ID!) {
        inventoryItem(id: $id) {
          quantityOnHand
          version
        }
      }
    `,
    { id: itemId },
  );
}

/** How many orders the order view lists for the customer now. */
export async function customerOrderCount(url: string, customerId: string): Promise<number | undefined> {
  const result = await graphql(
    url,
    `
      {
        orders(customerId: ${JSON.stringify(customerId)}) {
          totalCount
        }
      }
    `,
  );
  return result.data?.orders.totalCount as number | undefined;
}

/** Places an order with `input` (a PlaceOrderInput), answering with `fields` of the placement's result. */
export function placeOrder(
  url: string,
  input: Record<string, unknown>,
  fields = 'order { id }',
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  return graphql(
    url,
    `
      mutation ($input: PlaceOrderInput!) {
        placeOrder(input: $input) {
          ${fields}
        }
      }
    `,
    { input },
    headers,
  );
}

/** Ships the order, answering with `fields` of the shipment's result. */
export function shipOrder(url: string, orderId: string, fields = 'order { status }'): Promise<GraphQLResponse> {
  return graphql(
    url,
    `
      mutation ($id: ID!) {
        shipOrder(input: { id: $id }) {
          ${fields}
        }
      }
    `,
    { id: orderId },
  );
}

/** The item's units on hand, reserved for orders, and available, as the inventory view shows them now. */
export async function inventoryItemReservations(
  url: string,
  itemId: string,
): Promise<{ quantityOnHand: number; quantityReserved: number; quantityAvailable: number } | undefined> {
  const result = await graphql(
    url,
    `
      query ($id: ID!) {
        inventoryItem(id: $id) {
          quantityOnHand
          quantityReserved
          quantityAvailable
        }
      }
    `,
    { id: itemId },
  );
  return result.data?.inventoryItem;
}

/** The first 100 orders the order view lists now, each with `fields`. */
export async function listedOrders<Order = Record<string, any>>(url: string, fields: string): Promise<Order[]> {
  const result = await graphql(
    url,
    `
      {
        orders(first: 100) {
          nodes {
            ${fields}
          }
        }
      }
    `,
  );
  return result.data!.orders.nodes as Order[];
}

/** An event a projection could not apply, parked with its stream until an admin retries or skips it. */
export interface ProjectionFailure {
  projection: string;
  sequence: string;
  eventType: string;
  streamName: string;
  position: string;
  error: string;
  attempts: number;
}

/** Every event the projections have dead-lettered, as the gateway lists them now. */
export async function projectionFailures(url: string): Promise<ProjectionFailure[]> {
  const result = await graphql(
    url,
    `
      {
        projectionFailures {
          projection
          sequence
          eventType
          streamName
          position
          error
          attempts
        }
      }
    `,
  );
  return result.data?.projectionFailures as ProjectionFailure[];
}

/** The event types, in order, that a placed order's fulfilment appends up to its confirmation (payment captured). */
export const CONFIRMED_ORDER_EVENT_TYPES = [
  'OrderPlaced',
  'StockReserved',
  'OrderStockReserved',
  'PaymentRequested',
  'PaymentCaptured',
  'OrderConfirmed',
] as const;

/** How many orders the order view shows still under way: placed, or with their stock reserved and not yet paid. */
export async function openOrderCount(url: string): Promise<number | undefined> {
  const result = await graphql(
    url,
    `
      {
        orders(status: [PLACED, STOCK_RESERVED]) {
          totalCount
        }
      }
    `,
  );
  return result.data?.orders.totalCount as number | undefined;
}
