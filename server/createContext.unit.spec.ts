import type { Loaders } from '../application/loaders';
import { contextFactory, type SharedContext } from './createContext';
import type { GatewayLogger } from './logger';

const logger = { child: () => logger } as unknown as GatewayLogger;
const actor = { kind: 'anonymous' } as unknown as Parameters<Parameters<typeof contextFactory>[1]>[0];

describe('the per-request context', () => {
  it('makes the loaders only when a resolver first uses them, even after envelop copies the context', () => {
    let made = 0;
    const createLoaders = (): Loaders => {
      made += 1;
      return { example: 'loader' } as unknown as Loaders;
    };
    const context = contextFactory({} as SharedContext, createLoaders, logger)({ actor, clientAddress: '127.0.0.1' } as never);
    // What envelop's extendContext does with the context a createContext returns.
    const extended = Object.assign({}, context) as unknown as Record<string, unknown>;
    expect(made).toBe(0);

    expect((extended.loaders as Record<string, unknown>).example).toBe('loader');
    expect((context.loaders as unknown as Record<string, unknown>).example).toBe('loader');
    expect(made).toBe(1);
  });
});
