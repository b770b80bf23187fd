/**
 * How far the gateway's read side has processed `$all`, as `status { checkpoint }` reports it: a test
 * that wrote an event waits for this before reading what that event should (or should not) have changed.
 */
import { graphql } from './gatewayHarness';
import { waitForValue } from './waitFor';

/** The position the read side has processed up to, or null before it has processed anything. */
export async function readSideCheckpoint(url: string): Promise<bigint | null> {
  const checkpoint = (
    await graphql(
      url,
      `
        {
          status {
            checkpoint
          }
        }
      `,
    )
  ).data?.status.checkpoint as string | null;
  return checkpoint === null ? null : BigInt(checkpoint);
}

/** Resolves once the read side has processed the event at `position`. */
export async function waitForReadSide(url: string, position: bigint): Promise<void> {
  await waitForValue(async () => {
    const checkpoint = await readSideCheckpoint(url);
    return checkpoint !== null && checkpoint >= position ? true : undefined;
  });
}
