/** The types behind operations.graphql's types (paths from resolvers/__generated__/, for codegen). */
export const mappers = {
  ProjectionFailure: '../../projections/projectionRunner#ProjectionFailure as ProjectionFailureRecord',
  ProjectionRebuild: '../../projections/rebuildableReadSide#RebuildStatus',
};
