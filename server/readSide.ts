/**
 * The read side: the capabilities' read models, in memory, built from `$all` by one runner (the
 * gateway's single subscription). Queries read the stores through stand-ins, so a version rebuilt
 * side by side can replace every store at once without downtime.
 */
import { tracedProjections } from '../application/tracing/tracedProjections';
import type { EventStore } from '../eventStore/port';
import { ProjectionRunner, type Logger } from '../projections/projectionRunner';
import type { ReadModel } from '../projections/readModel';
import { RebuildableReadSide, type ReadModelVersion } from '../projections/rebuildableReadSide';
import { swappable } from '../projections/swappable';

export interface ReadSide {
  readonly runner: RebuildableReadSide;
  /** The live stores of a read model (stand-ins that follow every swap). */
  stores<Stores extends object>(model: ReadModel<Stores>): Stores;
}

export interface ReadSideOptions {
  readonly store: EventStore;
  readonly readModels: readonly ReadModel<object>[];
  readonly logger: Logger;
  /** Called when a rebuilt version replaces every document at once. */
  readonly onSwap: () => void;
}

export function createReadSide({ store, readModels, logger, onSwap }: ReadSideOptions): ReadSide {
  // Capabilities that read one model name it alike: it is built once.
  const models = [...new Map(readModels.map((model) => [model.name, model])).values()];
  const live = new Map(models.map((model) => [model.name, swappableStores(model.createStores())]));
  const buildVersion = (): ReadModelVersion => {
    const built = models.map((model) => ({ model, stores: model.createStores() }));
    // Live events only are traced: a replay (start-up, rebuild) is not waited on by anyone.
    const runner: ProjectionRunner = new ProjectionRunner(
      store,
      tracedProjections(
        built.flatMap(({ model, stores }) => model.projections(stores)),
        () => runner.caughtUp,
      ),
      { logger },
    );
    return {
      runner,
      activate: () => {
        for (const { model, stores } of built) live.get(model.name)!.swap(stores);
        onSwap();
      },
    };
  };
  return {
    runner: new RebuildableReadSide(buildVersion(), buildVersion),
    stores<Stores extends object>(model: ReadModel<Stores>): Stores {
      const stores = live.get(model.name);
      if (!stores) throw new Error(`The read model ${model.name} is not registered by any capability`);
      // Registered under this name from a model of this shape (one model per name).
      return stores.view as Stores;
    },
  };
}

/** One stand-in per store of a read model, swapped together. */
function swappableStores(initial: object): { readonly view: object; swap(next: object): void } {
  const slots = Object.entries(initial).map(([key, store]: [string, object]) => ({ key, slot: swappable(store) }));
  return {
    view: Object.fromEntries(slots.map(({ key, slot }) => [key, slot.view])),
    swap: (next) => {
      const stores = next as Record<string, object>;
      for (const { key, slot } of slots) slot.swap(stores[key]!);
    },
  };
}
