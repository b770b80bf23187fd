import type { Decider } from './decider';

/**
 * An aggregate as the command router sees it: its decider and the stream a command is decided on.
 * Every command, from a resolver's service or from a process manager, is routed with one of these.
 */
export interface Aggregate<State, Command, Event> {
  /** The streams' category (`<category>-<id>`). */
  readonly category: string;
  readonly decider: Decider<State, Command, Event>;
  readonly streamNameOf: (command: Command) => string;
}
