import type { Loaders } from './loaders';
import type { RequestScope } from './requestScope';

/**
 * What the capabilities put in every request's context. Empty here on purpose: each capability
 * declares its own entries from its own module (server/capabilities/<name>.ts), with
 * `declare module '../../application/context' { interface CapabilityContext { … } }`, and the
 * composition root checks at compile time that the registered capabilities provide all of them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging, one capability at a time
export interface CapabilityContext {}

/** The capabilities' reads (`context.reads.<name>`), declared the same way. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging, one capability at a time
export interface CapabilityReads {}

/** Everything a resolver may use: built fresh for each request (and each subscription). */
export interface GatewayContext extends CapabilityContext {
  readonly scope: RequestScope;
  /** The client's network address (rate limiting of anonymous clients). */
  readonly clientAddress?: string;
  readonly loaders: Loaders;
  readonly reads: CapabilityReads;
}
