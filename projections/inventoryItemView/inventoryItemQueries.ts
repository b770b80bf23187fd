import type { DocumentStore } from '../documentStore';
import type { Page, PageRequest } from '../pagination';
import { paginate } from '../pagination';
import type { InventoryItemView } from './inventoryItemView';

export interface InventoryItemFilter {
  readonly active?: boolean | null;
  /** Case-insensitive substring of the name. */
  readonly nameContains?: string | null;
  /** Items whose available quantity is below this threshold. */
  readonly availableBelow?: number | null;
}

export class InventoryItemQueries {
  constructor(private readonly store: DocumentStore<InventoryItemView>) {}

  byId(id: string): InventoryItemView | null {
    return this.store.get(id) ?? null;
  }

  byIds(ids: readonly string[]): Array<InventoryItemView | null> {
    return ids.map((id) => this.store.get(id) ?? null);
  }

  list(filter: InventoryItemFilter, page: PageRequest): Page<InventoryItemView> {
    const needle = filter.nameContains?.toLowerCase() ?? null;
    const matches = (item: InventoryItemView) =>
      (filter.active === null || filter.active === undefined || item.active === filter.active) &&
      (needle === null || item.name.toLowerCase().includes(needle)) &&
      (filter.availableBelow === null || filter.availableBelow === undefined || item.quantityAvailable < filter.availableBelow);
    return paginate(
      'inventoryItem',
      () => this.store.values(),
      (item) => item.createdPosition,
      matches,
      page,
    );
  }
}
export type InventoryItemPage = Page<InventoryItemView>;
