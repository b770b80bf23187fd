/**
 * The e2e suites' usual scene: a fresh store on the backend and the real gateway in front of it for each
 * test, stopped and thrown away after it. Call inside a `describe`; it registers the hooks.
 */
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import type { TestBackend } from './backends';
import { startTestGateway } from './gatewayHarness';

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly store: EventStore;
}

export function gatewayPerTest(backend: TestBackend, env: Record<string, string> = {}): RunningGateway {
  let current: { gateway: Gateway; store: EventStore; dispose: () => Promise<void> } | undefined;
  const started = () => {
    if (!current) throw new Error('the gateway runs only inside a test');
    return current;
  };
  beforeEach(async () => {
    const { store, dispose } = await backend.create();
    current = { gateway: await startTestGateway(store, env), store, dispose };
  });
  afterEach(async () => {
    const { gateway, dispose } = started();
    current = undefined;
    await gateway.stop();
    await dispose();
  });
  return {
    get gateway() {
      return started().gateway;
    },
    get store() {
      return started().store;
    },
  };
}
