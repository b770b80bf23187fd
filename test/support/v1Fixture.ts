/**
 * The store of old-shape events (`test/fixtures/v1-events.jsonl`, written once by the gateway as it
 * was before events had versions) loaded into a fresh store as another writer would have left it:
 * on EventStoreDB with `@eventstore/db-client` directly, on the embedded store through its own API.
 * Ids, revisions and metadata are kept; positions are the new store's own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventMetadata, EventStore, JsonObject } from '../../eventStore/port';
import { appendStoredWithEsdbClient } from './esdbTestServer/foreignWriter';

export interface FixtureEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

const FIXTURES = join(__dirname, '..', 'fixtures');

export function v1FixtureEvents(): FixtureEvent[] {
  return readFileSync(join(FIXTURES, 'v1-events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureEvent);
}

/** What the gateway that wrote the fixture answered: each stream's decider state, and the reads of `v1Reads.ts`. */
export function v1FixtureExpected(): { states: Record<string, Record<string, unknown>>; reads: Record<string, any> } {
  return JSON.parse(readFileSync(join(FIXTURES, 'v1-expected.json'), 'utf8'));
}

/** `env` is the backend's (`EVENTSTORE_CONNECTION_STRING` set: EventStoreDB). */
export async function loadV1Fixture(store: EventStore, env: Record<string, string>): Promise<FixtureEvent[]> {
  const events = v1FixtureEvents();
  const connectionString = env.EVENTSTORE_CONNECTION_STRING;
  if (connectionString) {
    await appendStoredWithEsdbClient(connectionString, events);
    return events;
  }
  for (const { streamName, revision, id, type, data, metadata } of events) {
    await store.appendToStream(streamName, [{ id, type, data, metadata }], {
      expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
    });
  }
  return events;
}
