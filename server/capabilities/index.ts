/** The shop's capabilities: adding one is its own files and one line here. */
import type { AccessRules } from '../../application/authorization';
import type { CapabilityContext, CapabilityReads } from '../../application/context';
import type { Loaders } from '../../application/loaders';
import type { AnyCapability, Capability, CapabilityHandles } from './capability';
import { commonCapability } from './common';
import { fulfilmentCapability } from './fulfilment';
import { historyCapability } from './history';
import { inventoryCapability } from './inventory';
import { notificationsCapability } from './notifications';
import { operationsCapability } from './operations';
import { ordersCapability } from './orders';

export const capabilities = [
  commonCapability,
  inventoryCapability,
  ordersCapability,
  fulfilmentCapability,
  historyCapability,
  operationsCapability,
  notificationsCapability,
] as const satisfies readonly AnyCapability[];

/** Every root field's access rule, from the capability that declares it. */
export const fieldRules: AccessRules = Object.assign({}, ...capabilities.map((capability) => capability.accessRules));

type Listed = (typeof capabilities)[number];
type Intersection<Union> = (Union extends unknown ? (each: Union) => void : never) extends (all: infer All) => void ? All : never;

type ContextOf<Each> = Each extends Capability<infer Context, object, object, object> ? Context : never;
type ReadsOf<Each> = Each extends Capability<object, infer Reads, object, object> ? Reads : never;
type LoadersOf<Each> = Each extends Capability<object, object, infer Entries, object> ? Entries : never;
type HandlesOf<Each> = Each extends Capability<object, object, object, infer Handles> ? Handles : never;

/** What the listed capabilities' `wire` functions provide, all together. */
export type ProvidedContext = Intersection<ContextOf<Listed>>;
export type ProvidedReads = Intersection<ReadsOf<Listed>>;
export type ProvidedLoaders = Intersection<LoadersOf<Listed>>;
export type ProvidedHandles = Intersection<HandlesOf<Listed>>;

/**
 * Compile-time check: every context entry, read, loader and handle a capability declares (by
 * module augmentation) is provided by a capability in the list. A capability declared but not
 * listed fails here, not in a resolver at run time.
 */
export type ListedCapabilitiesProvideEverything = [
  ProvidedContext extends CapabilityContext ? true : never,
  ProvidedReads extends CapabilityReads ? true : never,
  ProvidedLoaders extends Loaders ? true : never,
  ProvidedHandles extends CapabilityHandles ? true : never,
];
export const listedCapabilitiesProvideEverything: ListedCapabilitiesProvideEverything = [true, true, true, true];
