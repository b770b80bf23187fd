/**
 * Operation variables in one canonical form (object keys sorted), so that two requests that sent
 * the same variables in a different key order build the same key (response cache, shared
 * subscriptions). Variables come from clients: nesting deeper than MAX_KEY_DEPTH throws instead
 * of recursing as deep as a client likes.
 */
export const MAX_KEY_DEPTH = 32;

export function canonicalVariables(value: unknown, depth = 0): unknown {
  if (depth > MAX_KEY_DEPTH) throw new RangeError('too deep');
  if (Array.isArray(value)) return value.map((item) => canonicalVariables(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalVariables((value as Record<string, unknown>)[key], depth + 1)]),
    );
  }
  return value;
}
