/**
 * Baseline: bare graphql-yoga (the ceiling of our own stack) serving the same SDL subset from an
 * in-memory array, with graphql-ws on the same port and an in-memory pubsub for subscriptions.
 * Input: { itemsFile }.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { ExecutionArgs } from 'graphql';
import { createPubSub, createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { BASELINE_SDL, BaselineData, type BaselineItem } from '../lib/baselineSchema';
import { fail, onStop, sendReady, taskInput } from '../lib/childRuntime';

interface Change {
  eventType: string;
  position: string;
  item: BaselineItem;
}

async function main(): Promise<void> {
  const { itemsFile } = taskInput<{ itemsFile: string }>();
  const data = new BaselineData(JSON.parse(readFileSync(itemsFile, 'utf8')) as BaselineItem[]);
  const pubsub = createPubSub<{ inventoryItemChanges: [Change] }>();

  const schema = makeExecutableSchema({
    typeDefs: BASELINE_SDL,
    resolvers: {
      Query: {
        inventoryItems: (_: unknown, args: { first?: number | null }) => data.page(args.first),
      },
      Mutation: {
        checkInItems: (_: unknown, { input }: { input: { id: string; count: number } }) => {
          const result = data.checkIn(input.id, input.count);
          pubsub.publish('inventoryItemChanges', { eventType: 'ItemsCheckedIn', position: result.position, item: result.item });
          return result;
        },
      },
      Subscription: {
        inventoryItemChanges: {
          subscribe: () => pubsub.subscribe('inventoryItemChanges'),
          resolve: (change: Change) => change,
        },
      },
    },
  });

  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false, graphiql: false, landingPage: false });
  const httpServer = createServer(yoga);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // The graphql-ws recipe from the yoga docs (the gateway wires it the same way).
  const wsCleanup = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, params });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          document,
          operationName: params.operationName ?? null,
          variableValues: params.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wsServer,
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  onStop(async () => {
    await wsCleanup.dispose();
    for (const client of wsServer.clients) client.terminate();
    wsServer.close();
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
  });
  sendReady({ url: `http://127.0.0.1:${port}/graphql` });
}

interface EnvelopedRoot {
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
}

main().catch(fail);
