/**
 * Probes of a client's mutation budget: each write is a one-unit check-in sent with that client's
 * headers (the rate limit is keyed by the bearer token's subject).
 */
import { graphql, type GraphQLResponse } from './gatewayHarness';

/** One write as the client whose bearer token is in `client`. */
export function checkInOneAs(url: string, itemId: string, client: Record<string, string>): Promise<GraphQLResponse> {
  return graphql(url, 'mutation ($id: ID!) { checkInItems(input: { id: $id, count: 1 }) { revision } }', { id: itemId }, client);
}

/** `ok` for an accepted write, else its first error's code (`RATE_LIMITED` when the budget is spent). */
export function outcomeCode(result: GraphQLResponse): string {
  return String(result.errors?.[0]?.extensions?.code ?? 'ok');
}
