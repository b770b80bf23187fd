/**
 * Start-up with the events already in the store: the gateway exactly as `npm start` builds it
 * (loadConfig + the store factory + startGateway, production settings) over an existing DATA_DIR,
 * in a fresh process. It finishes once the gateway is ready for traffic: `/ready` answers 200
 * (projections caught up) AND the order-fulfilment process manager has caught up with `$all`
 * (it reacts to new orders only after that). The orchestrator times spawn → this result.
 */
import { createEventStore } from '../../server/eventStoreFactory';
import { startGateway } from '../../server/gateway';
import { fail, finish, taskInput } from '../lib/childRuntime';
import { benchGatewayConfig } from '../lib/gatewayConfig';

export interface StartupInput {
  readonly dataDir: string;
  readonly jwtSecret: string;
}

export interface StartupResult {
  /** Since this process started (process.uptime), when startGateway resolved, /ready first answered 200, the process manager caught up. */
  readonly startedMs: number;
  readonly readyMs: number;
  readonly processManagerCaughtUpMs: number;
  /** Events the projections applied during start-up. */
  readonly processedEvents: number;
}

const POLL_MS = 5;
const uptimeMs = () => process.uptime() * 1000;

/**
 * Whether the process reactions have caught up. Read by shape, not by type, so that this row
 * measures the gateway before its process manager moved onto the read side's one subscription
 * (`gateway.fulfilment.status.caughtUp`, its own replay) and after (`gateway.reactions.runners`:
 * each has folded up to the read side's checkpoint and holds nothing queued).
 */
function processManagerCaughtUp(gateway: object): boolean {
  const shaped = gateway as {
    fulfilment?: { status?: { caughtUp?: unknown } };
    reactions?: { runners?: readonly { status: { queued: number; catchingUp: boolean; lastFolded: unknown } }[] };
    runner?: { checkpoint: unknown; caughtUp: boolean };
  };
  const runners = shaped.reactions?.runners;
  if (runners && shaped.runner) {
    const { checkpoint, caughtUp } = shaped.runner;
    return (
      caughtUp &&
      runners.length > 0 &&
      runners.every(({ status }) => !status.catchingUp && status.queued === 0 && status.lastFolded === checkpoint)
    );
  }
  const caughtUp = shaped.fulfilment?.status?.caughtUp;
  if (typeof caughtUp !== 'boolean') throw new Error('the gateway exposes no process-reaction status (gateway.reactions.runners)');
  return caughtUp;
}

async function main(): Promise<void> {
  const input = taskInput<StartupInput>();
  const config = benchGatewayConfig(input.jwtSecret, { DATA_DIR: input.dataDir });
  const gateway = await startGateway({ config, store: createEventStore(config) });
  const startedMs = uptimeMs();
  let readyMs: number | null = null;
  let processManagerCaughtUpMs: number | null = null;
  while (readyMs === null || processManagerCaughtUpMs === null) {
    if (readyMs === null) {
      const response = await fetch(`http://127.0.0.1:${gateway.port}/ready`);
      await response.arrayBuffer();
      if (response.status === 200) readyMs = uptimeMs();
    }
    if (processManagerCaughtUpMs === null && processManagerCaughtUp(gateway)) processManagerCaughtUpMs = uptimeMs();
    if (readyMs === null || processManagerCaughtUpMs === null) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const processedEvents = gateway.runner.status.processedEvents;
  await gateway.stop();
  const result: StartupResult = { startedMs, readyMs, processManagerCaughtUpMs, processedEvents };
  finish(result);
}

main().catch(fail);
