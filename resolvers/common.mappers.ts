/** The read-model types behind common.graphql's types (paths from resolvers/__generated__/, for codegen). */
export const mappers = {
  GatewayStatus: '../../application/gatewayStatus#GatewayStatusView',
};
