/**
 * TEST INFRASTRUCTURE — NOT PRODUCT STORAGE.
 *
 * The in-memory log behind the EventStoreDB test server (see README.md in this folder). It applies
 * EventStoreDB's append rules (expected revision, idempotency) and gives events log-like positions:
 * they start at an offset, advance by a byte-size-like amount per record and are never contiguous,
 * with commit == prepare as on modern servers.
 *
 * The same object can be handed to a new server (in-process restart keeping the data). Optionally it
 * is persisted to a JSON-lines file, appended synchronously before an append is acknowledged, so a
 * server process that is SIGKILLed and restarted with the same file sees the same log.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';

/** A record in the log, as the server stores it. */
export interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB reports `created`. */
  readonly created: bigint;
  /** Commit position == prepare position. */
  readonly position: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedState =
  | { readonly kind: 'revision'; readonly revision: number }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'any' }
  | { readonly kind: 'stream_exists' };

export type AppendOutcome =
  | {
      readonly kind: 'success';
      /** Revision of the last event written (or of the original last event on an idempotent retry); -1: no stream. */
      readonly currentRevision: number;
      /**
       * Position of the last event written. `null` on an idempotent retry or an empty append: like
       * EventStoreDB servers that answer `no_position` there, the client then gets no position.
       */
      readonly position: bigint | null;
      readonly idempotent: boolean;
    }
  | {
      readonly kind: 'wrong_expected_version';
      /** The stream's current revision, or null when it has no events. */
      readonly currentRevision: number | null;
      readonly expected: ExpectedState;
    };

export interface EsdbTestServerDataOptions {
  /** Position of the first record. Default 65_536 (never 0, like a real log after its header/epoch records). */
  readonly firstPosition?: bigint;
  /** Seed a few system events ($-prefixed types, `$$` metadata streams) into a new log. Default true. */
  readonly seedSystemEvents?: boolean;
  /** How many recent event ids are remembered for best-effort idempotency with `any`/`stream_exists`. */
  readonly recentIdCacheSize?: number;
}

const TICKS_PER_MILLISECOND = 10_000n;
const DEFAULT_FIRST_POSITION = 65_536n;

/** Bytes a record occupies in the fake log: a fixed header plus its variable parts (like a prepare record). */
function recordSize(event: Omit<StoredEvent, 'position'>): bigint {
  const header = 93; // flags, lengths, ids, timestamps...
  return BigInt(
    header +
      Buffer.byteLength(event.streamName) +
      Buffer.byteLength(event.type) +
      Buffer.byteLength(event.contentType) +
      event.data.length +
      event.customMetadata.length,
  );
}

export function nowInTicks(): bigint {
  return BigInt(Date.now()) * TICKS_PER_MILLISECOND;
}

interface PersistedLine {
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly contentType: string;
  readonly data: string;
  readonly customMetadata: string;
  readonly created: string;
  readonly position: string;
}

export class EsdbTestServerData {
  /** The whole log (`$all`) in position order. Append-only. */
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly recentIds = new Map<string, { streamName: string; revision: number }>();
  private readonly recentIdCacheSize: number;
  private readonly listeners = new Set<() => void>();
  private nextPosition: bigint;
  private notifyScheduled = false;
  private persistFile: string | undefined;

  constructor(options: EsdbTestServerDataOptions = {}) {
    this.nextPosition = options.firstPosition ?? DEFAULT_FIRST_POSITION;
    this.recentIdCacheSize = options.recentIdCacheSize ?? 10_000;
    if (options.seedSystemEvents ?? true) this.seedSystemEvents();
  }

  /**
   * Opens (or creates) a log persisted as JSON lines in `file`. Every later append is written to
   * the file synchronously before it is acknowledged.
   */
  static open(file: string, options: EsdbTestServerDataOptions = {}): EsdbTestServerData {
    const data = new EsdbTestServerData({ ...options, seedSystemEvents: false });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        data.load(JSON.parse(line) as PersistedLine);
      }
    } else {
      mkdirSync(dirname(file), { recursive: true });
    }
    data.persistFile = file;
    if (data.log.length === 0 && (options.seedSystemEvents ?? true)) data.seedSystemEvents();
    return data;
  }

  get all(): readonly StoredEvent[] {
    return this.log;
  }

  get size(): number {
    return this.log.length;
  }

  streamEvents(streamName: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamName);
  }

  /**
   * What reads of `streamName` still return under its stream metadata (the newest event of the
   * `$$<stream>` metadata stream, `$maxCount` and `$maxAge` in seconds), as EventStoreDB applies it:
   * the events stay in the log (and in `$all`) until a scavenge, which this server never runs, but
   * reads of the stream skip them; revisions keep counting.
   */
  retainedBy(streamName: string): (event: StoredEvent) => boolean {
    const metadataEvents = streamName.startsWith('$$') ? undefined : this.streams.get(`$$${streamName}`);
    const latest = metadataEvents?.[metadataEvents.length - 1];
    if (!latest) return () => true;
    let metadata: { $maxCount?: unknown; $maxAge?: unknown };
    try {
      metadata = JSON.parse(Buffer.from(latest.data).toString('utf8')) as typeof metadata;
    } catch {
      return () => true;
    }
    const lastRevision = (this.streams.get(streamName)?.length ?? 0) - 1;
    const maxCount = typeof metadata.$maxCount === 'number' ? metadata.$maxCount : undefined;
    const maxAge = typeof metadata.$maxAge === 'number' ? metadata.$maxAge : undefined;
    const oldestRevision = maxCount === undefined ? 0 : lastRevision - maxCount + 1;
    const oldestCreated = maxAge === undefined ? 0n : nowInTicks() - BigInt(maxAge) * 1000n * TICKS_PER_MILLISECOND;
    return (event) => event.revision >= oldestRevision && event.created >= oldestCreated;
  }

  /** Index of the first record at or after `position` in `$all`. */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.log[mid]!.position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first record strictly after `position` in `$all`. */
  indexAfter(position: bigint): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.log[mid]!.position <= position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Called (asynchronously, once per batch of appends) after new records were written. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * EventStoreDB's append rules:
   * - `revision`/`no_stream` equal to the current revision: write.
   * - ahead of the current revision, `no_stream` on an existing stream behind it, or `stream_exists`
   *   on a missing stream: wrong expected version...
   * - ...unless (explicit revision or `no_stream`, behind the current one) the ids at expected+1...
   *   are exactly the submitted ids: an idempotent retry, success with the original result, nothing
   *   written. A partial match is a wrong expected version.
   * - `any`/`stream_exists`: best effort — if the first id is among recently written ids of this
   *   stream and the following ids follow it, idempotent; a partial match is a wrong expected
   *   version; an unknown first id is written again (as the real server does).
   */
  append(streamName: string, expected: ExpectedState, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName);
    const current = stream ? stream.length - 1 : -1;
    const wrong = (): AppendOutcome => ({
      kind: 'wrong_expected_version',
      currentRevision: current === -1 ? null : current,
      expected,
    });

    switch (expected.kind) {
      case 'revision':
      case 'no_stream': {
        const expectedRevision = expected.kind === 'no_stream' ? -1 : expected.revision;
        if (expectedRevision === current) return this.write(streamName, current, events);
        if (expectedRevision > current || events.length === 0) return wrong();
        for (let i = 0; i < events.length; i += 1) {
          if (stream?.[expectedRevision + 1 + i]?.id !== events[i]!.id) return wrong();
        }
        return { kind: 'success', currentRevision: expectedRevision + events.length, position: null, idempotent: true };
      }
      case 'stream_exists':
      case 'any': {
        if (expected.kind === 'stream_exists' && current === -1) return wrong();
        const first = events[0] ? this.recentIds.get(events[0].id) : undefined;
        if (first && first.streamName === streamName) {
          for (let i = 0; i < events.length; i += 1) {
            if (stream?.[first.revision + i]?.id !== events[i]!.id) return wrong();
          }
          return { kind: 'success', currentRevision: first.revision + events.length - 1, position: null, idempotent: true };
        }
        return this.write(streamName, current, events);
      }
    }
  }

  /** Appends a system event (e.g. `$statsCollected` in `$stats-...`), bypassing the rules. */
  appendSystemEvent(streamName: string, type: string, data: unknown = {}): StoredEvent {
    const stream = this.streams.get(streamName);
    const outcome = this.write(streamName, stream ? stream.length - 1 : -1, [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(data)),
        customMetadata: new Uint8Array(0),
      },
    ]);
    if (outcome.kind !== 'success') throw new Error('unreachable');
    return this.log[this.log.length - 1]!;
  }

  private write(streamName: string, current: number, events: readonly ProposedEvent[]): AppendOutcome {
    if (events.length === 0) {
      return { kind: 'success', currentRevision: current, position: null, idempotent: false };
    }
    const created = nowInTicks();
    const written: StoredEvent[] = [];
    let position = this.nextPosition;
    events.forEach((proposed, index) => {
      const withoutPosition = {
        id: proposed.id,
        streamName,
        revision: current + 1 + index,
        type: proposed.type,
        contentType: proposed.contentType,
        data: proposed.data,
        customMetadata: proposed.customMetadata,
        created,
      };
      written.push({ ...withoutPosition, position });
      position += recordSize(withoutPosition);
    });
    // Durable before it is visible or acknowledged.
    if (this.persistFile !== undefined) {
      appendFileSync(this.persistFile, written.map((event) => JSON.stringify(toLine(event)) + '\n').join(''));
    }
    for (const event of written) this.add(event);
    this.scheduleNotify();
    const last = written[written.length - 1]!;
    return { kind: 'success', currentRevision: last.revision, position: last.position, idempotent: false };
  }

  private load(line: PersistedLine): void {
    this.add({
      id: line.id,
      streamName: line.streamName,
      revision: line.revision,
      type: line.type,
      contentType: line.contentType,
      data: Buffer.from(line.data, 'base64'),
      customMetadata: Buffer.from(line.customMetadata, 'base64'),
      created: BigInt(line.created),
      position: BigInt(line.position),
    });
  }

  private add(event: StoredEvent): void {
    const last = this.log[this.log.length - 1];
    if (last && event.position <= last.position) throw new Error('positions must increase');
    this.log.push(event);
    let stream = this.streams.get(event.streamName);
    if (!stream) {
      stream = [];
      this.streams.set(event.streamName, stream);
    }
    if (event.revision !== stream.length) throw new Error(`revision gap in ${event.streamName}`);
    stream.push(event);
    this.nextPosition = event.position + recordSize(event);
    this.recentIds.delete(event.id);
    this.recentIds.set(event.id, { streamName: event.streamName, revision: event.revision });
    if (this.recentIds.size > this.recentIdCacheSize) {
      const oldest = this.recentIds.keys().next();
      if (!oldest.done) this.recentIds.delete(oldest.value);
    }
  }

  private scheduleNotify(): void {
    // After the current turn, so an append's reply is sent before subscribers see its events.
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** What a fresh EventStoreDB has in `$all` before any user write, roughly. */
  private seedSystemEvents(): void {
    this.appendSystemEvent('$epoch-information', '$epoch-information', { epochNumber: 0 });
    this.appendSystemEvent('$$$scavenges', '$metadata', { $maxAge: 2_592_000 });
    this.appendSystemEvent('$$$stats-127.0.0.1:2113', '$metadata', { $maxAge: 86_400 });
    this.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-mem': 123_456 });
    // A user-looking event type in a system stream: type-based filtering alone does not skip it.
    this.appendSystemEvent('$projections-$master', 'ProjectionsInitialized', {});
    this.appendSystemEvent('$$order-00000000-0000-0000-0000-000000000000', '$metadata', { $maxCount: 100 });
  }
}

function toLine(event: StoredEvent): PersistedLine {
  return {
    id: event.id,
    streamName: event.streamName,
    revision: event.revision,
    type: event.type,
    contentType: event.contentType,
    data: Buffer.from(event.data).toString('base64'),
    customMetadata: Buffer.from(event.customMetadata).toString('base64'),
    created: event.created.toString(),
    position: event.position.toString(),
  };
}
