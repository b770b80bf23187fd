/**
 * Bare graphql-yoga as in yogaBareServer.ts, with the two changes the gateway's query profile
 * pointed at — yoga's stream-based request-body limit off (maxRequestBodySize: false; a
 * Content-Length check stays in front of it) and execution through graphql-jit (compiled once per
 * document, like mercurius `jit: 1`): the ceiling of our own stack once the gateway is configured
 * the same way. Input: { itemsFile }.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { DocumentNode, ExecutionArgs } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { createYoga, type Plugin } from 'graphql-yoga';
import { BASELINE_SDL, BaselineData, type BaselineItem } from '../lib/baselineSchema';
import { fail, onStop, sendReady, taskInput } from '../lib/childRuntime';

const MAX_BODY_BYTES = 100_000;

/** Executes queries with graphql-jit, compiling each document once (subscriptions keep the default). */
function useGraphQLJit(): Plugin {
  const compiled = new WeakMap<DocumentNode, CompiledQuery | null>();
  return {
    onExecute({ args, setExecuteFn }) {
      let query = compiled.get(args.document);
      if (query === undefined) {
        const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
        query = isCompiledQuery(result) ? result : null;
        compiled.set(args.document, query);
      }
      if (query) {
        const jit = query;
        setExecuteFn((a: ExecutionArgs) => jit.query(a.rootValue, a.contextValue, a.variableValues) as never);
      }
    },
  };
}

async function main(): Promise<void> {
  const { itemsFile } = taskInput<{ itemsFile: string }>();
  const data = new BaselineData(JSON.parse(readFileSync(itemsFile, 'utf8')) as BaselineItem[]);
  const schema = makeExecutableSchema({
    typeDefs: BASELINE_SDL,
    resolvers: { Query: { inventoryItems: (_: unknown, args: { first?: number | null }) => data.page(args.first) } },
  });
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    logging: false,
    graphiql: false,
    landingPage: false,
    maxRequestBodySize: false,
    plugins: [useGraphQLJit()],
  });
  const httpServer = createServer((req, res) => {
    // The cheap part of a body limit: trust only a declared, bounded Content-Length on POST.
    const length = Number(req.headers['content-length']);
    if (req.method === 'POST' && !(Number.isInteger(length) && length <= MAX_BODY_BYTES)) {
      res.writeHead(req.headers['content-length'] === undefined ? 411 : 413).end();
      return;
    }
    void yoga(req, res);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  onStop(async () => {
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
  });
  sendReady({ url: `http://127.0.0.1:${port}/graphql` });
}

main().catch(fail);
