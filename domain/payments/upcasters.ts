import { firstVersionsOnly } from '../eventVersioning';
import { paymentEventSchemas } from './events';

/** Current version of each payment event type: every shape is still its first. */
export const paymentEventVersioning = firstVersionsOnly(paymentEventSchemas);
