import { makeExecutableSchema } from '@graphql-tools/schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { authorizeField, type AccessRules } from '../application/authorization';
import type { GatewayContext } from '../application/context';
import { capabilities, fieldRules } from './capabilities';

/** `schema/` sits at the project root, beside `server/` (from source) or beside `dist/` (built). */
function schemaDirectory(): string {
  const candidates = [join(__dirname, '..', 'schema'), join(__dirname, '..', '..', 'schema')];
  const found = candidates.find((dir) => existsSync(join(dir, 'common.graphql')));
  if (!found) throw new Error(`schema/ not found near ${__dirname}`);
  return found;
}

/** The capabilities' SDL files, in file-name order; a file in `schema/` no capability claims is a mistake. */
export function loadTypeDefs(): string[] {
  const dir = schemaDirectory();
  const claimed = new Set(capabilities.flatMap((capability) => capability.typeDefs));
  const unclaimed = readdirSync(dir).filter((file) => file.endsWith('.graphql') && !claimed.has(file));
  if (unclaimed.length > 0) throw new Error(`schema/ files no capability lists: ${unclaimed.join(', ')}`);
  return [...claimed].sort().map((file) => readFileSync(join(dir, file), 'utf8'));
}

/** Every root field runs its access rule (application/authorization.ts) before its resolver. */
function guardRootField(
  field: GraphQLFieldConfig<unknown, GatewayContext>,
  rules: AccessRules,
  coordinate: string,
): GraphQLFieldConfig<unknown, GatewayContext> {
  const resolve = field.resolve ?? defaultFieldResolver;
  const guarded = {
    ...field,
    resolve: (source: unknown, args: Record<string, unknown>, context: GatewayContext, info: Parameters<typeof resolve>[3]) => {
      authorizeField(context.scope.actor, rules, coordinate);
      return resolve(source, args, context, info);
    },
  };
  if (field.subscribe) {
    const subscribe = field.subscribe;
    guarded.subscribe = (source, args, context, info) => {
      authorizeField(context.scope.actor, rules, coordinate);
      return subscribe(source, args, context, info);
    };
  }
  return guarded;
}

/** The schema folded from the capabilities: their SDL and resolvers, each root field behind its rule. */
export function createSchema(): GraphQLSchema {
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: capabilities.map((capability) => capability.resolvers) });
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) =>
      guardRootField(field as GraphQLFieldConfig<unknown, GatewayContext>, fieldRules, `${typeName}.${fieldName}`),
  });
}
