import { eventVersioning } from '../eventVersioning';
import type { PaymentEvent } from './events';

/** Current version of each payment event type: every shape is still its first. */
export const paymentEventVersioning = eventVersioning(
  {
    PaymentRequested: 1,
    PaymentCaptured: 1,
    PaymentDeclined: 1,
    PaymentRefunded: 1,
  } satisfies Record<PaymentEvent['type'], number>,
  [],
);
