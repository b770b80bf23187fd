import { ListenerSet } from './listenerSet';

describe('ListenerSet', () => {
  it('notifies every listener until it unsubscribes', () => {
    const listeners = new ListenerSet<number>();
    const heardByA: number[] = [];
    const heardByB: number[] = [];
    const unsubscribeA = listeners.add((n) => heardByA.push(n));
    listeners.add((n) => heardByB.push(n));
    listeners.notify(1);
    unsubscribeA();
    listeners.notify(2);
    expect(heardByA).toEqual([1]);
    expect(heardByB).toEqual([1, 2]);
    expect(listeners.size).toBe(1);
  });

  it('keeps notifying the others when one throws, and reports what it threw', () => {
    const failures: unknown[] = [];
    const listeners = new ListenerSet<string>((error) => failures.push(error));
    const heard: string[] = [];
    const boom = new Error('boom');
    listeners.add(() => {
      throw boom;
    });
    listeners.add((s) => heard.push(s));
    listeners.notify('change');
    expect(heard).toEqual(['change']);
    expect(failures).toEqual([boom]);
  });
});
