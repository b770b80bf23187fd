export * from './fulfilment';
export type { AddressedCommand, FulfilmentCommand } from './fulfilmentCommand';
export * from './decide';
