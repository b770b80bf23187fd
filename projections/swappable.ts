/**
 * A stand-in that forwards every property to its current target, so a read model rebuilt side by
 * side can replace the live one in a single synchronous step while queries keep their reference.
 */
export function swappable<Target extends object>(initial: Target): { readonly view: Target; swap(next: Target): void } {
  let current = initial;
  const view = new Proxy({} as Target, {
    get(_target, property) {
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
    has: (_target, property) => Reflect.has(current, property),
  });
  return {
    view,
    swap: (next) => {
      current = next;
    },
  };
}
