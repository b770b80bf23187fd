/**
 * Given/when/then for deciders:
 *   given([events]).when(command).then([events])
 *   given([events]).when(command).thenThrows(ErrorClass, { code: '...' })
 */
import type { Decider } from '../decider';
import { fold } from '../decider';

export type ErrorClass = abstract new (...args: never[]) => Error;

export function deciderSpecification<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return (givenEvents: readonly Event[]) => ({
    when: (command: Command) => {
      const run = () => decider.decide(command, fold(decider, givenEvents));
      return {
        then: (expected: readonly Event[]) => {
          const decided = run();
          expect(decided).toEqual(expected);
          // Whatever the domain decides, its own schemas accept: the write side never stores what it would refuse to fold.
          for (const event of decided)
            expect(decider.checkEvent(event as unknown as { type: string; data: unknown })).toMatchObject({ valid: true });
        },
        thenThrows: (errorClass: ErrorClass, matching?: Record<string, unknown>) => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          if (matching) expect(thrown).toMatchObject(matching);
        },
      };
    },
  });
}
