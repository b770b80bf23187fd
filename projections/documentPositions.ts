/**
 * Where a read-model document stands in `$all`: the position of the first and of the last event
 * applied to it. Pages list documents in the order of their first event (`createdPosition`).
 */
export interface DocumentPositions {
  readonly createdPosition: bigint;
  readonly position: bigint;
}
