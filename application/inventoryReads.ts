/** Inventory reads for the GraphQL layer: lookups, lists and live updates from the read side. */
import type { InventoryItemFilter, InventoryItemPage, InventoryItemQueries } from '../projections/inventoryItemView/inventoryItemQueries';
import type { InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import { inventoryItemChanges } from '../projections/inventoryItemView/inventoryItemView';
import type { PageRequest } from '../projections/pagination';
import { NotFoundError } from '../domain/errors';
import type { ChangeFeed } from './changeFeed';
import { canonicalUuid } from './ids';
import { inventoryItemIdForSku } from './inventoryService';

export interface InventoryItemChangeView {
  readonly eventType: string;
  readonly position: string;
  readonly item: InventoryItemView;
}

export class InventoryReads {
  constructor(
    private readonly queries: InventoryItemQueries,
    private readonly changes: ChangeFeed,
  ) {}

  /** Unknown or malformed ids read as null. */
  byIds(ids: readonly string[]): Array<InventoryItemView | null> {
    return this.queries.byIds(ids.map((id) => canonicalUuid(id) ?? ''));
  }

  idForSku(sku: string): string {
    return inventoryItemIdForSku(sku);
  }

  list(filter: InventoryItemFilter, page: PageRequest): InventoryItemPage {
    return this.queries.list(filter, page);
  }

  /** The item's current state, then its state after each change (each version once, in order). */
  itemUpdates(id: string): AsyncIterable<InventoryItemView> {
    const [current] = this.byIds([id]);
    if (!current) throw new NotFoundError(id.length <= 64 ? `Inventory item ${id} not found` : 'Inventory item not found');
    let lastVersion = -1;
    const newer = (item: InventoryItemView) => {
      if (item.version <= lastVersion) return undefined;
      lastVersion = item.version;
      return item;
    };
    return this.changes.stream(inventoryItemChanges, {
      id: current.id,
      initial: () => newer(this.queries.byId(current.id) ?? current),
      select: (change) => newer(change.document),
    });
  }

  /** Every change to any item, in `$all` order. */
  allChanges(): AsyncIterable<InventoryItemChangeView> {
    return this.changes.stream(inventoryItemChanges, {
      select: (change) => ({ eventType: change.event.type, position: change.event.position.toString(), item: change.document }),
    });
  }
}
