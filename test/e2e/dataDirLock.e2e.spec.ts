/**
 * One writer per DATA_DIR on the embedded store: two real gateway processes on one directory. The
 * second refuses to start, naming the first; after the first is SIGKILLed (no clean-up at all), a new
 * start succeeds and sees the first one's writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { createItem, graphql } from '../support/gatewayHarness';

jest.setTimeout(90_000);

/** The item as the inventory view of the gateway at `url` shows it: its SKU only. */
const itemSku = async (url: string, id: string) =>
  (
    await graphql(
      url,
      `
        query ($id: ID!) {
          inventoryItem(id: $id) {
            sku
          }
        }
      `,
      { id },
    )
  ).data?.inventoryItem;

describe('one gateway process per DATA_DIR (embedded store)', () => {
  let dir: string;
  const started: GatewayProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eventshop-one-writer-'));
  });
  afterEach(async () => {
    for (const gateway of started.splice(0)) await gateway.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process with a message naming the first, and starts again after kill -9 of the first', async () => {
    const first = await spawnGatewayProcess({ DATA_DIR: dir });
    started.push(first);
    const { item } = await createItem(first.url, 'ONE-WRITER');

    const refusal = await spawnGatewayProcess({ DATA_DIR: dir }).then(
      (second) => {
        started.push(second);
        return null;
      },
      (error: unknown) => (error as Error).message,
    );
    expect(refusal).not.toBeNull();
    expect(refusal).toMatch(/exited before it was ready \(1\)/);
    expect(refusal).toContain(`is in use by process ${first.child.pid} on `);
    expect(refusal).toMatch(/started \d{4}-\d\d-\d\dT/);
    expect(refusal).toMatch(/use EventStoreDB/);
    // The refused start did not disturb the running one.
    expect(await itemSku(first.url, item.id)).toEqual({ sku: 'ONE-WRITER' });

    await first.kill('SIGKILL');
    const next = await spawnGatewayProcess({ DATA_DIR: dir });
    started.push(next);
    expect(await itemSku(next.url, item.id)).toEqual({ sku: 'ONE-WRITER' });
  });
});
