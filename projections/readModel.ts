import type { Projection } from './projection';

/**
 * A read model a capability owns: the stores its documents live in and the projections that fill
 * them. The composition root makes one set of stores per version (the live one, then one per
 * rebuild, built side by side and swapped in at once), and every capability that reads the model
 * names it by this object (models with the same `name` are one model).
 */
export interface ReadModel<Stores extends object> {
  readonly name: string;
  /** Empty stores for one version of the read model. */
  createStores(): Stores;
  /** The projections that fill `stores` from `$all`. */
  projections(stores: Stores): readonly Projection[];
}
