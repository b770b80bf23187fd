/**
 * The API tier: the gateway's yoga instance driven through `yoga.fetch`, no port, no socket. The
 * app is the real one (real schema, context, authorization, services, SQLite event store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { loadConfig } from '../../server/config';
import { createGatewayApp, type GatewayApp } from '../../server/gatewayApp';
import { GRAPHQL_PATH } from '../../server/yogaServer';
import { TEST_JWT_SECRET } from '../support/gatewayHarness';
import type { GraphQLResponse } from '../support/gatewayHarness';

export interface ApiGateway {
  readonly app: GatewayApp;
  /** Posts one operation to yoga in process; `token` null means anonymous. */
  graphql<Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> | undefined,
    token: string | null,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

export interface ApiGatewayOptions {
  /** Runs the capabilities' reactions (fulfilment, notifications) on the single subscription too; off by default. */
  readonly withReactions?: boolean;
}

export async function startApiGateway({ withReactions = false }: ApiGatewayOptions = {}): Promise<ApiGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'eventshop-api-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    JWT_SECRET: TEST_JWT_SECRET,
    MUTATIONS_PER_MINUTE: '100000',
    DATA_DIR: dir,
  });
  const app = await createGatewayApp(config, new SqliteEventStore({ filename: join(dir, 'events.sqlite') }));
  // Reactions attach before the subscription starts, as the gateway does: history is read once.
  if (withReactions) await app.reactions.start();
  await app.readSide.runner.start();
  return {
    app,
    async graphql(query, variables, token) {
      const response = await app.yoga.fetch(`http://api.test${GRAPHQL_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<any>;
    },
    async stop() {
      app.endSubscriptions();
      await app.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
