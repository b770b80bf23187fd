/**
 * Inventory use cases: each mutation becomes one command on one item's stream, then waits
 * (bounded) until the projections have applied it and returns the item as the read side shows it.
 */
import type { InventoryItemCommand } from '../domain/inventory';
import { inventoryItemDecider, inventoryItemStreamName } from '../domain/inventory';
import { InvalidInputError, NotFoundError } from '../domain/errors';
import type { Position } from '../eventStore/port';
import type { InventoryItemQueries } from '../projections/inventoryItemView/inventoryItemQueries';
import type { InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import type { CommandHandler, CommandMetadata } from './commandHandler';
import { ReadModelLagError } from './errors';
import { isUuid, newId, uuidV5 } from './ids';
import type { RequestScope, WriteOptions } from './requestScope';

export interface InventoryWriteResult {
  readonly item: InventoryItemView;
  readonly revision: number;
  readonly position: string | null;
  readonly replayed: boolean;
}

export interface ReadSide {
  waitForPosition(position: Position, timeoutMs: number): Promise<boolean>;
}

const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

/** An item's id is derived from its SKU, so one SKU can only ever be created once. */
export const inventoryItemIdForSku = (sku: string): string => uuidV5(`inventoryItem/sku/${sku.trim().toUpperCase()}`);

export class InventoryService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly readSide: ReadSide,
    private readonly queries: InventoryItemQueries,
    private readonly readYourWritesTimeoutMs = 5000,
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
    options: WriteOptions,
    scope: RequestScope,
  ): Promise<InventoryWriteResult> {
    const metadata: CommandMetadata = {
      commandId: commandIdFor(operation, options.idempotencyKey, scope),
      correlationId: scope.correlationId,
      actor: scope.actor,
      occurredAt: scope.receivedAt,
    };
    const result = await this.commands.handle(inventoryItemDecider, inventoryItemStreamName(command.itemId), command, metadata, {
      ...(options.expectedVersion === null || options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });
    if (result.position !== null) await this.readSide.waitForPosition(result.position, this.readYourWritesTimeoutMs);
    const item = this.queries.byId(command.itemId);
    if (!item || item.version < result.revision) {
      throw new ReadModelLagError('The change was saved but is not visible yet; retry with the same idempotency key to read it');
    }
    return {
      item,
      revision: result.revision,
      position: result.position === null ? null : result.position.toString(),
      replayed: result.alreadyHandled,
    };
  }
}

function itemId(id: string): string {
  if (!isUuid(id)) throw new NotFoundError(`Inventory item ${id} not found`);
  return id.toLowerCase();
}

/**
 * A client's idempotency key, scoped by actor and operation, always maps to the same command id
 * (and so to the same event ids); without a key every call is a new command.
 */
function commandIdFor(operation: string, idempotencyKey: string | null | undefined, scope: RequestScope): string {
  if (idempotencyKey === null || idempotencyKey === undefined) return newId();
  if (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new InvalidInputError(`idempotencyKey must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, 'idempotencyKey');
  }
  return uuidV5(`command/${scope.actor}/${operation}/${idempotencyKey}`);
}
