/** The shop's capabilities: adding one is its own files and one line here. */
import type { AccessRules } from '../../application/authorization';
import type { Capability } from './capability';
import { commonCapability } from './common';
import { historyCapability } from './history';
import { inventoryCapability } from './inventory';
import { operationsCapability } from './operations';
import { ordersCapability } from './orders';

export const capabilities: readonly Capability[] = [
  commonCapability,
  inventoryCapability,
  ordersCapability,
  historyCapability,
  operationsCapability,
];

/** Every root field's access rule, from the capability that declares it. */
export const fieldRules: AccessRules = Object.assign({}, ...capabilities.map((capability) => capability.accessRules));
