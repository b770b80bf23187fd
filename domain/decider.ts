/**
 * The decider pattern: `decide(command, state) → events` and `evolve(state, event) → state`,
 * both pure. Time, actor and ids come in on the command; the domain never reads a clock.
 */
export interface Decider<State, Command, Event> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  /** Checks a stored event (from any writer) before `evolve` may fold it. */
  readonly checkEvent: (stored: {
    readonly type: string;
    readonly data: unknown;
    readonly metadata?: { readonly [key: string]: unknown };
  }) => EventCheck<Event>;
}

/** A stored event, checked: the typed event, or why it must not be folded. */
export type EventCheck<Event> = { readonly valid: true; readonly event: Event } | { readonly valid: false; readonly reason: string };

/** An event as the domain sees it: a stored type name and its data. */
export interface DomainEvent<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

export function fold<State, Event>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
