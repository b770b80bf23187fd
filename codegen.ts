import type { CodegenConfig } from '@graphql-codegen/cli';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every SDL file in `schema/`, and the read-model type behind each GraphQL type from each
 * capability's `resolvers/<name>.mappers.ts`: a new capability adds its own files, nothing here.
 */
const mappers: Record<string, string> = Object.assign(
  {},
  ...readdirSync(join(__dirname, 'resolvers'))
    .filter((file) => file.endsWith('.mappers.ts'))
    .sort()
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- codegen's config is loaded as CommonJS; the list is read from disk
    .map((file) => (require(join(__dirname, 'resolvers', file)) as { mappers: Record<string, string> }).mappers),
);

const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'resolvers/__generated__/types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        contextType: '../../application/context#GatewayContext',
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        mappers,
      },
    },
  },
  silent: true,
};
export default config;
