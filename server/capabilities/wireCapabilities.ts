/** The capabilities' contributions to one gateway, folded into what the composition root hands on. */
import type { Actor } from '../../application/actor';
import type { Loaders } from '../../application/loaders';
import type { Reaction } from '../../application/subscription/reaction';
import type { SharedContext } from '../createContext';
import type { CapabilityHandles, CapabilityParts, CapabilityWiring } from './capability';
import { capabilities, type ProvidedContext, type ProvidedHandles, type ProvidedLoaders, type ProvidedReads } from './index';

export interface WiredCapabilities {
  /** Every request's context entries and reads. */
  readonly shared: SharedContext;
  /** The request's loaders, made on its first lookup. */
  createLoaders(actor: Actor): Loaders;
  readonly reactions: readonly Reaction[];
  readonly handles: CapabilityHandles;
}

export function wireCapabilities(parts: CapabilityParts): WiredCapabilities {
  const wired: readonly CapabilityWiring<object, object, object, object>[] = capabilities.map(
    (capability) => capability.wire?.(parts) ?? {},
  );
  // Each capability adds its own entries; index.ts checks at compile time that together they are everything declared.
  return {
    shared: {
      ...(Object.assign({}, ...wired.map((wiring) => wiring.context)) as ProvidedContext),
      reads: Object.assign({}, ...wired.map((wiring) => wiring.reads)) as ProvidedReads,
    },
    createLoaders: (actor) => Object.assign({}, ...wired.map((wiring) => wiring.loaders?.(actor))) as ProvidedLoaders,
    reactions: wired.flatMap((wiring) => wiring.reactions ?? []),
    handles: Object.assign({}, ...wired.map((wiring) => wiring.handles)) as ProvidedHandles,
  };
}
