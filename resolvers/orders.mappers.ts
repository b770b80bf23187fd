/** The read-model types behind orders.graphql's types (paths from resolvers/__generated__/, for codegen). */
export const mappers = {
  Order: '../../projections/orderView/orderView#OrderView',
  OrderLine: '../../projections/orderView/orderView#OrderViewLine',
  OrderConnection: '../../projections/orderView/orderQueries#OrderPage',
  ShopDashboard: '../../projections/shopDashboard/shopDashboard#ShopDashboard as ShopDashboardDocument',
  LowStockAlert: '../../projections/shopDashboard/lowStock#LowStockAlert as LowStockAlertDocument',
};
