/** The read-model types behind inventory.graphql's types (paths from resolvers/__generated__/, for codegen). */
export const mappers = {
  InventoryItem: '../../projections/inventoryItemView/inventoryItemView#InventoryItemView',
  InventoryItemConnection: '../../projections/inventoryItemView/inventoryItemQueries#InventoryItemPage',
};
