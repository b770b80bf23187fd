/**
 * Inventory use cases: each mutation becomes one command on one item's stream, then waits
 * (bounded) until the projections have applied it and returns the item as the read side shows it.
 */
import type { InventoryItemCommand } from '../domain/inventory';
import { inventoryItemAggregate } from '../domain/inventory';
import { NotFoundError } from '../domain/errors';
import type { InventoryItemQueries } from '../projections/inventoryItemView/inventoryItemQueries';
import type { InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import type { CommandExecutor, WriteResult } from './commandExecutor';
import { canonicalUuid, uuidV5 } from './ids';
import type { RequestScope, WriteOptions } from './requestScope';

export type InventoryWriteResult = Omit<WriteResult<InventoryItemView>, 'view'> & { readonly item: InventoryItemView };

/** An item's id is derived from its SKU, so one SKU can only ever be created once. */
export const inventoryItemIdForSku = (sku: string): string => uuidV5(`inventoryItem/sku/${sku.trim().toUpperCase()}`);

export class InventoryService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: InventoryItemQueries,
  ) {}

  createItem(
    input: { sku: string; name: string; unitPriceCents?: number | null } & WriteOptions,
    scope: RequestScope,
  ): Promise<InventoryWriteResult> {
    const itemId = inventoryItemIdForSku(input.sku);
    return this.execute(
      'createInventoryItem',
      { type: 'CreateInventoryItem', itemId, sku: input.sku, name: input.name, unitPriceCents: input.unitPriceCents ?? null },
      input,
      scope,
    );
  }

  renameItem(input: { id: string; name: string } & WriteOptions, scope: RequestScope): Promise<InventoryWriteResult> {
    return this.execute('renameInventoryItem', { type: 'RenameInventoryItem', itemId: itemId(input.id), name: input.name }, input, scope);
  }

  checkInItems(input: { id: string; count: number } & WriteOptions, scope: RequestScope): Promise<InventoryWriteResult> {
    return this.execute('checkInItems', { type: 'CheckInItemsToInventory', itemId: itemId(input.id), count: input.count }, input, scope);
  }

  removeItems(input: { id: string; count: number } & WriteOptions, scope: RequestScope): Promise<InventoryWriteResult> {
    return this.execute('removeItems', { type: 'RemoveItemsFromInventory', itemId: itemId(input.id), count: input.count }, input, scope);
  }

  deactivateItem(input: { id: string; reason?: string | null } & WriteOptions, scope: RequestScope): Promise<InventoryWriteResult> {
    return this.execute(
      'deactivateInventoryItem',
      { type: 'DeactivateInventoryItem', itemId: itemId(input.id), reason: input.reason ?? null },
      input,
      scope,
    );
  }

  private async execute(
    operation: string,
    command: InventoryItemCommand,
    input: WriteOptions & object,
    scope: RequestScope,
  ): Promise<InventoryWriteResult> {
    const { view, ...result } = await this.executor.execute({
      aggregate: inventoryItemAggregate,
      operation,
      target: inventoryItemAggregate.streamNameOf(command),
      input,
      scope,
      prepare: () => ({ command, read: () => this.queries.byId(command.itemId) }),
    });
    return { ...result, item: view };
  }
}

function itemId(id: string): string {
  const canonical = canonicalUuid(id);
  if (canonical === null) throw new NotFoundError('Inventory item not found');
  return canonical;
}
