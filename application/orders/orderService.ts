/**
 * Order use cases for clients: place, cancel, ship. Placing an order only records it; the
 * fulfilment steps (reserve stock, charge, confirm) are the process manager's, asynchronously.
 */
import { InvalidInputError, NotFoundError } from '../../domain/errors';
import { ItemInactiveError } from '../../domain/inventory';
import type { DeliveryAddress, OrderCommand } from '../../domain/orders';
import { orderAggregate, orderStreamName } from '../../domain/orders';
import type { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import type { OrderView } from '../../projections/orderView/orderView';
import type { CommandExecutor, WriteResult } from '../commandExecutor';
import { customerIdFor, requireOrderAccess } from '../authorization';
import { canonicalUuid, uuidV5 } from '../ids';
import type { RequestScope, WriteOptions } from '../requestScope';

export type OrderWriteResult = Omit<WriteResult<OrderView>, 'view'> & { readonly order: OrderView };

export interface PlaceOrderInput extends WriteOptions {
  /** Customers place orders for themselves and may omit it; an admin names the customer. */
  readonly customerId?: string | null;
  readonly paymentMethodToken: string;
  readonly lines: ReadonlyArray<{ readonly itemId: string; readonly quantity: number }>;
  /** Omitted or null: to be collected. */
  readonly deliveryAddress?: DeliveryAddress | null;
}

export class OrderService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly orders: { byId(id: string): OrderView | null },
    private readonly catalogue: InventoryItemQueries,
  ) {}

  /** Prices, SKUs and names come from the catalogue as it is now, and are fixed in the order. */
  placeOrder(input: PlaceOrderInput, scope: RequestScope): Promise<OrderWriteResult> {
    const customerId = customerIdFor(scope.actor, input.customerId);
    const lines = input.lines.map((line, index) => {
      const itemId = canonicalUuid(line.itemId);
      const item = itemId === null ? null : this.catalogue.byId(itemId);
      if (!item) throw new NotFoundError(itemId === null ? 'Inventory item not found' : `Inventory item ${line.itemId} not found`);
      if (!item.active) throw new ItemInactiveError(item.id);
      if (item.unitPriceCents === null)
        throw new InvalidInputError(`${item.sku} has no price and cannot be ordered`, `lines.${index}.itemId`);
      return { itemId: item.id, sku: item.sku, name: item.name, quantity: line.quantity, unitPriceCents: item.unitPriceCents };
    });
    return this.execute('placeOrder', NEW_ORDER, input, scope, (commandId) => {
      // The order's id derives from the command id, so a retried placement (same key) finds the first order.
      const orderId = uuidV5(`order/${commandId}`);
      return {
        type: 'PlaceOrder',
        orderId,
        customerId,
        paymentMethodToken: input.paymentMethodToken,
        lines,
        deliveryAddress: input.deliveryAddress ?? null,
      };
    });
  }

  cancelOrder(input: { id: string; reason: string } & WriteOptions, scope: RequestScope): Promise<OrderWriteResult> {
    const id = orderId(input.id);
    requireOrderAccess(scope.actor, this.orders.byId(id), input.id);
    const command: OrderCommand = {
      type: 'CancelOrder',
      orderId: id,
      reason: input.reason,
      cancelledBy: scope.actor.role === 'admin' ? 'system' : 'customer',
    };
    return this.execute('cancelOrder', orderStreamName(id), input, scope, () => command);
  }

  shipOrder(input: { id: string } & WriteOptions, scope: RequestScope): Promise<OrderWriteResult> {
    const id = orderId(input.id);
    return this.execute('shipOrder', orderStreamName(id), input, scope, () => ({ type: 'ShipOrder', orderId: id }));
  }

  private async execute(
    operation: string,
    target: string,
    input: WriteOptions & object,
    scope: RequestScope,
    commandFor: (commandId: string) => OrderCommand,
  ): Promise<OrderWriteResult> {
    const { view, ...result } = await this.executor.execute({
      aggregate: orderAggregate,
      operation,
      target,
      input,
      scope,
      prepare: (commandId) => {
        const command = commandFor(commandId);
        return { command, read: () => this.orders.byId(command.orderId) };
      },
    });
    return { ...result, order: view };
  }
}

/** What a placement's idempotency key is bound to: a new order (its id derives from the command id). */
const NEW_ORDER = 'order (new)';

function orderId(id: string): string {
  const canonical = canonicalUuid(id);
  if (canonical === null) throw new NotFoundError('Order not found');
  return canonical;
}
