/**
 * Polling for what the gateway does in the background (fulfilment, projections, dead letters): the
 * e2e suites wait for it rather than sleep. A generous deadline costs nothing when the condition holds.
 */
const POLL_INTERVAL_MS = 25;
const DEFAULT_TIMEOUT_MS = 20_000;

/** Resolves with the first value `probe` gives that is not `undefined`; fails after `timeoutMs`. */
export async function waitForValue<T>(probe: () => Promise<T | undefined>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Resolves once `condition` holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await waitForValue(async () => ((await condition()) ? true : undefined), timeoutMs);
}
