import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'resolvers/__generated__/types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        contextType: '../../application/context#GatewayContext',
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        mappers: {
          InventoryItem: '../../projections/inventoryItemView/inventoryItemView#InventoryItemView',
          InventoryItemConnection: '../../projections/inventoryItemView/inventoryItemQueries#InventoryItemPage',
          Order: '../../projections/orderView/orderView#OrderView',
          OrderLine: '../../projections/orderView/orderView#OrderViewLine',
          OrderConnection: '../../projections/orderView/orderQueries#OrderPage',
          ShopDashboard: '../../projections/shopDashboard/shopDashboard#ShopDashboard as ShopDashboardDocument',
          LowStockAlert: '../../projections/shopDashboard/lowStock#LowStockAlert as LowStockAlertDocument',
          RecordedEvent: '../../eventStore/port#RecordedEvent as StoredEvent',
          RecordedEventConnection: '../../application/history/historyReads#EventPage',
          ProjectionFailure: '../../projections/projectionRunner#ProjectionFailure as ProjectionFailureRecord',
          ProjectionRebuild: '../../projections/rebuildableReadSide#RebuildStatus',
          GatewayStatus: '../../application/gatewayStatus#GatewayStatusView',
        },
      },
    },
  },
  silent: true,
};
export default config;
