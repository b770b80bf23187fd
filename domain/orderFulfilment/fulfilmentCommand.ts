import type { ReleaseStockReservation, ReserveStock, ShipReservedStock } from '../inventory';
import { inventoryItemAggregate } from '../inventory';
import type { CancelOrder, ConfirmOrder, MarkOrderStockReserved, RejectOrder } from '../orders';
import { orderAggregate } from '../orders';
import type { RecordPaymentCaptured, RecordPaymentDeclined, RefundPayment, RequestPayment } from '../payments';
import { paymentAggregate } from '../payments';

/**
 * A command addressed to its aggregate: `target` names it (the process manager routes on it), and
 * `streamName` is what the aggregate's own naming gives (part of the command's id, and logged).
 */
export type AddressedCommand =
  | {
      readonly target: 'inventoryItem';
      readonly streamName: string;
      readonly command: ReserveStock | ReleaseStockReservation | ShipReservedStock;
    }
  | {
      readonly target: 'order';
      readonly streamName: string;
      readonly command: MarkOrderStockReserved | RejectOrder | ConfirmOrder | CancelOrder;
    }
  | {
      readonly target: 'payment';
      readonly streamName: string;
      readonly command: RequestPayment | RecordPaymentCaptured | RecordPaymentDeclined | RefundPayment;
    };

/**
 * A command the process manager dispatches. `commandId` is `<trigger id>:<n>`: the id of the event
 * (or failed command) that triggered it and its index among that trigger's commands, so reprocessing
 * a trigger dispatches the same ids again and the event store's idempotent append absorbs the repeat.
 */
export type FulfilmentCommand = AddressedCommand & { readonly commandId: string };

export const toInventoryItem = (command: ReserveStock | ReleaseStockReservation | ShipReservedStock): AddressedCommand => ({
  target: 'inventoryItem',
  streamName: inventoryItemAggregate.streamNameOf(command),
  command,
});

export const toOrder = (command: MarkOrderStockReserved | RejectOrder | ConfirmOrder | CancelOrder): AddressedCommand => ({
  target: 'order',
  streamName: orderAggregate.streamNameOf(command),
  command,
});

export const toPayment = (command: RequestPayment | RecordPaymentCaptured | RecordPaymentDeclined | RefundPayment): AddressedCommand => ({
  target: 'payment',
  streamName: paymentAggregate.streamNameOf(command),
  command,
});

export function identify(triggerId: string, commands: readonly AddressedCommand[]): FulfilmentCommand[] {
  return commands.map((command, n) => ({ ...command, commandId: `${triggerId}:${n}` }));
}
