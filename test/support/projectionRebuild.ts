/** A side-by-side read-model rebuild driven over GraphQL, as an admin's dashboard drives it. */
import type { Client as WsClient } from 'graphql-ws';
import { graphql } from './gatewayHarness';

/** A `ProjectionRebuild` report. */
export interface RebuildReport {
  readonly state: string;
  readonly version: number;
  readonly percent: number;
  readonly processedEvents: number;
  readonly totalEvents: number;
}

const REPORT_FIELDS = 'state version percent processedEvents totalEvents';

/** The rebuild's progress reports over graphql-ws, from the current one on. */
export function rebuildProgress(client: WsClient) {
  return client.iterate<{ projectionRebuild: RebuildReport }>({ query: `subscription { projectionRebuild { ${REPORT_FIELDS} } }` });
}

/** Starts a rebuild and answers its first report; a GraphQL error fails the test. */
export async function startRebuild(url: string): Promise<RebuildReport> {
  const started = await graphql<{ rebuildProjections: RebuildReport }>(url, `mutation { rebuildProjections { ${REPORT_FIELDS} } }`);
  if (started.errors !== undefined || !started.data) throw new Error(`rebuildProjections failed: ${JSON.stringify(started.errors)}`);
  return started.data.rebuildProjections;
}
