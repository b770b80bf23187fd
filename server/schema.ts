import { makeExecutableSchema } from '@graphql-tools/schema';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers';

/** `schema/` sits at the project root, beside `server/` (from source) or beside `dist/` (built). */
function schemaDirectory(): string {
  const candidates = [join(__dirname, '..', 'schema'), join(__dirname, '..', '..', 'schema')];
  const found = candidates.find((dir) => existsSync(join(dir, 'common.graphql')));
  if (!found) throw new Error(`schema/ not found near ${__dirname}`);
  return found;
}

export function loadTypeDefs(): string[] {
  const dir = schemaDirectory();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'));
}

export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
