import { makeExecutableSchema } from '@graphql-tools/schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { authorizeField } from '../application/authorization';
import type { GatewayContext } from '../application/context';
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

/** Every root field runs its access rule (application/authorization.ts) before its resolver. */
function guardRootField(field: GraphQLFieldConfig<unknown, GatewayContext>, coordinate: string): GraphQLFieldConfig<unknown, GatewayContext> {
  const resolve = field.resolve ?? defaultFieldResolver;
  const guarded = { ...field, resolve: (source: unknown, args: Record<string, unknown>, context: GatewayContext, info: Parameters<typeof resolve>[3]) => {
    authorizeField(context.scope.actor, coordinate);
    return resolve(source, args, context, info);
  } };
  if (field.subscribe) {
    const subscribe = field.subscribe;
    guarded.subscribe = (source, args, context, info) => {
      authorizeField(context.scope.actor, coordinate);
      return subscribe(source, args, context, info);
    };
  }
  return guarded;
}

export function createSchema(): GraphQLSchema {
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => guardRootField(field as GraphQLFieldConfig<unknown, GatewayContext>, `${typeName}.${fieldName}`),
  });
}
