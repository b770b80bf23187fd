/**
 * Baseline: mercurius with graphql-jit (`jit: 1`: every query is compiled after its first run) on
 * fastify — the fastest Node GraphQL peer — serving the same SDL subset and data. Input: { itemsFile }.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { BASELINE_SDL, BaselineData, type BaselineItem } from '../lib/baselineSchema';
import { fail, onStop, sendReady, taskInput } from '../lib/childRuntime';

async function main(): Promise<void> {
  const { itemsFile } = taskInput<{ itemsFile: string }>();
  const data = new BaselineData(JSON.parse(readFileSync(itemsFile, 'utf8')) as BaselineItem[]);
  const app = Fastify({ logger: false });
  await app.register(mercurius, {
    schema: BASELINE_SDL,
    resolvers: {
      Query: {
        inventoryItems: async (_: unknown, args: { first?: number | null }) => data.page(args.first),
      },
      Mutation: {
        checkInItems: async (_: unknown, { input }: { input: { id: string; count: number } }) => data.checkIn(input.id, input.count),
      },
    },
    jit: 1,
    graphiql: false,
    path: '/graphql',
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  onStop(() => app.close());
  sendReady({ url: `${address}/graphql` });
}

main().catch(fail);
