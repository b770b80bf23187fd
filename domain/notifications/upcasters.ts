import { firstVersionsOnly } from '../eventVersioning';
import { notificationEventSchemas } from './events';

/** Current version of each notification event type: every shape is still its first. */
export const notificationEventVersioning = firstVersionsOnly(notificationEventSchemas);
