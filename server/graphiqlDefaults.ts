/**
 * GraphiQL's default tab: every operation in it runs as it stands on the demo data, with no id to
 * paste. Item ids are UUID v5 of the SKU, so the demo mug's id is the same in every installation.
 */
import { inventoryItemIdForSku } from '../application/inventoryService';
import { DEMO_MUG_SKU } from './seed';

const demoMugId = inventoryItemIdForSku(DEMO_MUG_SKU);

export const GRAPHIQL_DEFAULT_TAB = /* GraphQL */ `# Welcome to the event-sourced shop gateway.
# Every change below is an event in the store; queries read projections built from those events.
# Press ▶ and pick an operation: run LiveInventory (or WatchMug) in one tab, CheckIn in another.

query Inventory {
  inventoryItems(first: 10) {
    totalCount
    nodes { id sku name quantityOnHand quantityAvailable unitPriceCents version updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}

# A live query: the result is sent again whenever an item it shows changes.
query LiveInventory @live {
  inventoryItems(first: 10) {
    nodes { sku name quantityOnHand quantityAvailable version }
  }
}

# The demo's classic mug (${DEMO_MUG_SKU}); its id is derived from the SKU.
mutation CheckIn {
  checkInItems(input: { id: "${demoMugId}", count: 5 }) {
    revision
    item { name quantityOnHand version }
  }
}

subscription WatchMug {
  inventoryItem(id: "${demoMugId}") { name quantityOnHand version }
}

subscription AllInventoryChanges {
  inventoryItemChanges { eventType position item { sku name quantityOnHand } }
}
`;
