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
