import { DomainError } from '../errors';

export class InsufficientStockError extends DomainError.withCode('INSUFFICIENT_STOCK') {
  constructor(
    readonly itemId: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`Only ${available} of item ${itemId} available, ${requested} requested`);
  }
}

export class ItemInactiveError extends DomainError.withCode('ITEM_INACTIVE') {
  constructor(readonly itemId: string) {
    super(`Inventory item ${itemId} is deactivated and accepts no change`);
  }
}
