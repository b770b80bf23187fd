import type { AccessRules } from '../../application/authorization';
import type { Resolvers } from '../../resolvers/__generated__/types';

/**
 * What one capability adds to the GraphQL surface: its SDL files (in `schema/`), its resolvers and
 * the access rule of each root field it declares. The schema is folded from the list in index.ts.
 */
export interface Capability {
  readonly name: string;
  readonly typeDefs: readonly string[];
  readonly resolvers: Resolvers;
  readonly accessRules: AccessRules;
}
