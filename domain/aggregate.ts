import type { Decider, DomainEvent } from './decider';
import type { EventSchemas } from './eventSchema';
import type { EventVersioning } from './eventVersioning';

/** What the read paths need of an aggregate, whatever its types: its streams' category, its events' schemas and versions. */
export interface AggregateEvents {
  /** The streams' category (`<category>-<id>`). */
  readonly category: string;
  readonly eventSchemas: EventSchemas<DomainEvent<string, unknown>>;
  readonly eventVersioning: EventVersioning;
}

/**
 * An aggregate as the command router sees it: its decider and the stream a command is decided on,
 * with its events' schemas and versions. Every command, from a resolver's service or from a process
 * manager, is routed with one of these.
 */
export interface Aggregate<State, Command, Event extends DomainEvent<string, unknown>> extends AggregateEvents {
  readonly eventSchemas: EventSchemas<Event>;
  readonly decider: Decider<State, Command, Event>;
  readonly streamNameOf: (command: Command) => string;
}

export function defineAggregate<State, Command, Event extends DomainEvent<string, unknown>>(
  category: string,
  decider: Decider<State, Command, Event>,
  events: { readonly schemas: EventSchemas<Event>; readonly versioning: EventVersioning },
  streamNameOf: (command: Command) => string,
): Aggregate<State, Command, Event> {
  return { category, decider, eventSchemas: events.schemas, eventVersioning: events.versioning, streamNameOf };
}
