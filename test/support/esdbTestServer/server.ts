/**
 * TEST INFRASTRUCTURE — NOT PRODUCT STORAGE.
 *
 * A gRPC server on loopback that speaks enough of the EventStoreDB protocol for
 * `@eventstore/db-client` 6.2.1, so the EventStoreDB adapter can be tested over a real gRPC
 * connection with the real client where no EventStoreDB can be installed. It is built on
 * `@grpc/grpc-js` and the client's own generated modules (the same copies the client loads: the
 * serializers check `instanceof`). See README.md in this folder for what it does and does not do.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { ServerFeaturesService, type IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService, type IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, type BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import {
  AllStreamPosition,
  Empty as SharedEmpty,
  StreamIdentifier,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { EsdbTestServerData, type ExpectedState, type AppendOutcome, type ProposedEvent, type StoredEvent } from './data';

export interface EsdbTestServerOptions {
  /** 0 (default) picks a free port; the chosen port is kept for `restart()`. */
  readonly port?: number;
  readonly host?: string;
  /** Advertise `Streams.BatchAppend` in GetSupportedMethods (default true). When false, clients use `Streams.Append`. */
  readonly advertiseBatchAppend?: boolean;
  /** The log to serve; pass the `data` of a stopped server to keep its events. */
  readonly data?: EsdbTestServerData;
  /** Persist the log to this JSON-lines file (ignored when `data` is given). */
  readonly dataFile?: string;
  /** Reported by GetSupportedMethods. */
  readonly serverVersion?: string;
}

export interface EsdbTestServer {
  readonly host: string;
  /** The bound port (stays the same across restarts). */
  readonly port: number;
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly data: EsdbTestServerData;
  readonly running: boolean;
  /** Stops at once (`forceShutdown`): open calls and subscriptions are cancelled. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  restart(): Promise<void>;
}

/** Default search window of a filtered read/subscription when the client sends `count` instead of `max`. */
const DEFAULT_MAX_SEARCH_WINDOW = 32;
const BATCH_APPEND_PATH = '/event_store.client.streams.streams/batchappend';

export async function startEsdbTestServer(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const host = options.host ?? '127.0.0.1';
  const data = options.data ?? (options.dataFile !== undefined ? EsdbTestServerData.open(options.dataFile) : new EsdbTestServerData());
  const config: ServerConfig = {
    data,
    advertiseBatchAppend: options.advertiseBatchAppend ?? true,
    serverVersion: options.serverVersion ?? '23.10.0',
  };
  let port = options.port ?? 0;
  let server: grpc.Server | undefined;
  const activeReads = new Set<{ stop(): void }>();

  const start = async (): Promise<void> => {
    const created = new grpc.Server();
    const handlers = createHandlers(config, activeReads);
    created.addService(StreamsService, handlers.streams);
    created.addService(ServerFeaturesService, handlers.serverFeatures);
    port = await bindWithRetry(created, host, port);
    server = created;
  };

  await start();
  return {
    host,
    get port() {
      return port;
    },
    get connectionString() {
      return `esdb://${host}:${port}?tls=false`;
    },
    data,
    get running() {
      return server !== undefined;
    },
    async stop() {
      const current = server;
      server = undefined;
      for (const read of [...activeReads]) read.stop();
      activeReads.clear();
      current?.forceShutdown();
    },
    async restart() {
      if (server) throw new Error('the test server is running');
      await start();
    },
  };
}

async function bindWithRetry(server: grpc.Server, host: string, port: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      return await new Promise<number>((resolve, reject) => {
        server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        );
      });
    } catch (error) {
      // The previous server's socket may still be closing after forceShutdown.
      if (port === 0 || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

interface ServerConfig {
  readonly data: EsdbTestServerData;
  readonly advertiseBatchAppend: boolean;
  readonly serverVersion: string;
}

function createHandlers(config: ServerConfig, activeReads: Set<{ stop(): void }>) {
  const { data } = config;

  const serverFeatures: IServerFeaturesServer = {
    getSupportedMethods(_call, callback) {
      const methods = new SupportedMethods();
      methods.setEventStoreServerVersion(config.serverVersion);
      const add = (path: string) => {
        const [, service, method] = path.split('/');
        const entry = new SupportedMethod();
        entry.setServiceName(service!);
        entry.setMethodName(method!);
        methods.addMethods(entry);
      };
      add('/event_store.client.streams.streams/read');
      add('/event_store.client.streams.streams/append');
      if (config.advertiseBatchAppend) add(BATCH_APPEND_PATH);
      add('/event_store.client.server_features.serverfeatures/getsupportedmethods');
      callback(null, methods);
    },
  };

  const streams: IStreamsServer = {
    append(call, callback) {
      let options: AppendReq.Options | undefined;
      const proposed: ProposedEvent[] = [];
      let failed = false;
      call.on('data', (request: AppendReq) => {
        if (failed) return;
        if (request.hasOptions()) {
          options = request.getOptions();
          return;
        }
        const message = request.getProposedMessage();
        if (!options || !message) {
          failed = true;
          callback({ code: grpc.status.INVALID_ARGUMENT, details: 'options must come first' });
          return;
        }
        proposed.push(toProposed(message));
      });
      call.on('end', () => {
        if (failed) return;
        if (!options) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: 'no options' });
          return;
        }
        callback(null, toAppendResp(appendRequest(data, options, proposed)));
      });
      call.on('error', () => {
        failed = true;
      });
    },

    batchAppend(call) {
      const pending = new Map<string, { options: BatchAppendReq.Options; proposed: ProposedEvent[] }>();
      call.on('data', (request: BatchAppendReq) => {
        const correlation = request.getCorrelationId();
        const key = uuidToString(correlation);
        let entry = pending.get(key);
        const options = request.getOptions();
        if (options) {
          entry = { options, proposed: [] };
          pending.set(key, entry);
        }
        if (!entry) {
          call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'options must come first' });
          return;
        }
        for (const message of request.getProposedMessagesList()) entry.proposed.push(toProposed(message));
        if (!request.getIsFinal()) return;
        pending.delete(key);
        call.write(toBatchAppendResp(correlation, entry.options, data, entry.proposed));
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },

    read(call) {
      const options = call.request.getOptions();
      if (!options) {
        call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'no options' });
        return;
      }
      const reader = new ReadCall(call, options, data);
      activeReads.add(reader);
      reader
        .run()
        .catch((error: unknown) => {
          if (!call.cancelled) call.emit('error', { code: grpc.status.INTERNAL, details: String(error) });
        })
        .finally(() => activeReads.delete(reader));
    },

    delete(_call, callback) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'not implemented by the test server' });
    },

    tombstone(_call, callback) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'not implemented by the test server' });
    },
  };

  return { streams, serverFeatures };
}

type EventFilter = (event: StoredEvent) => boolean;

/** One `Streams.Read` call: a counted read, or a catch-up subscription (history, caught_up, live). */
class ReadCall {
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly unlisten: () => void;

  constructor(
    private readonly call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    private readonly options: ReadReq.Options,
    private readonly data: EsdbTestServerData,
  ) {
    this.unlisten = data.onAppend(() => this.wake?.());
    call.on('cancelled', () => this.stop());
    call.on('close', () => this.stop());
  }

  stop(): void {
    this.stopped = true;
    this.unlisten();
    this.wake?.();
  }

  async run(): Promise<void> {
    const options = this.options;
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const toResp = (event: StoredEvent) => readEvent(event, structuredIds);
    try {
      if (options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION) {
        await this.subscribe(toResp);
      } else {
        await this.readCounted(toResp);
      }
    } finally {
      this.unlisten();
    }
  }

  private async readCounted(toResp: (event: StoredEvent) => ReadResp): Promise<void> {
    const options = this.options;
    const count = BigInt(options.getCount() || '0');
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    let sent = 0n;
    const send = async (event: StoredEvent) => {
      await this.write(toResp(event));
      sent += 1n;
    };
    const streamOptions = options.getStream();
    if (streamOptions) {
      const streamName = streamNameOf(streamOptions.getStreamIdentifier());
      const events = this.data.streamEvents(streamName);
      if (!events) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
        const response = new ReadResp();
        response.setStreamNotFound(notFound);
        await this.write(response);
        this.call.end();
        return;
      }
      const last = events.length - 1;
      const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
      let from: number;
      switch (streamOptions.getRevisionOptionCase()) {
        case Case.END:
          from = backwards ? last : events.length;
          break;
        case Case.REVISION:
          from = Number(streamOptions.getRevision());
          break;
        default:
          from = 0;
      }
      const retained = this.data.retainedBy(streamName);
      if (backwards) {
        for (let revision = Math.min(from, last); revision >= 0 && sent < count && !this.stopped; revision -= 1) {
          if (retained(events[revision]!)) await send(events[revision]!);
        }
      } else {
        for (let revision = from; revision <= last && sent < count && !this.stopped; revision += 1) {
          if (retained(events[revision]!)) await send(events[revision]!);
        }
      }
      this.call.end();
      return;
    }

    const all = this.data.all;
    const filter = this.filter();
    const allOptions = options.getAll();
    const Case = ReadReq.Options.AllOptions.AllOptionCase;
    if (backwards) {
      // Backwards positions are post-positions: from an event's position, the events before it.
      let index: number;
      switch (allOptions?.getAllOptionCase()) {
        case Case.POSITION:
          index = this.data.indexAtOrAfter(BigInt(allOptions.getPosition()!.getCommitPosition())) - 1;
          break;
        case Case.START:
          index = -1;
          break;
        default:
          index = all.length - 1;
      }
      for (; index >= 0 && sent < count && !this.stopped; index -= 1) {
        const event = all[index]!;
        if (filter(event)) await send(event);
      }
    } else {
      // Forwards positions are pre-positions: from an event's position, that event and the ones after it.
      let index: number;
      switch (allOptions?.getAllOptionCase()) {
        case Case.POSITION:
          index = this.data.indexAtOrAfter(BigInt(allOptions.getPosition()!.getCommitPosition()));
          break;
        case Case.END:
          index = all.length;
          break;
        default:
          index = 0;
      }
      for (; index < all.length && sent < count && !this.stopped; index += 1) {
        const event = all[index]!;
        if (filter(event)) await send(event);
      }
    }
    this.call.end();
  }

  private async subscribe(toResp: (event: StoredEvent) => ReadResp): Promise<void> {
    const options = this.options;
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    const confirmed = new ReadResp();
    confirmed.setConfirmation(confirmation);
    await this.write(confirmed);

    // Where to start: subscriptions start *after* the given position/revision.
    const streamOptions = options.getStream();
    let source: () => readonly StoredEvent[];
    let cursor: number;
    if (streamOptions) {
      const streamName = streamNameOf(streamOptions.getStreamIdentifier());
      source = () => this.data.streamEvents(streamName) ?? [];
      const Case = ReadReq.Options.StreamOptions.RevisionOptionCase;
      switch (streamOptions.getRevisionOptionCase()) {
        case Case.END:
          cursor = source().length;
          break;
        case Case.REVISION:
          cursor = Number(streamOptions.getRevision()) + 1;
          break;
        default:
          cursor = 0;
      }
    } else {
      source = () => this.data.all;
      const allOptions = options.getAll();
      const Case = ReadReq.Options.AllOptions.AllOptionCase;
      switch (allOptions?.getAllOptionCase()) {
        case Case.END:
          cursor = this.data.size;
          break;
        case Case.POSITION:
          cursor = this.data.indexAfter(BigInt(allOptions.getPosition()!.getCommitPosition()));
          break;
        default:
          cursor = 0;
      }
    }

    const filter = streamOptions ? () => true : this.filter();
    const filterOptions = streamOptions ? undefined : options.getFilter();
    const checkpointEvery = filterOptions
      ? (filterOptions.getWindowCase() === ReadReq.Options.FilterOptions.WindowCase.MAX
          ? filterOptions.getMax()
          : DEFAULT_MAX_SEARCH_WINDOW) * Math.max(1, filterOptions.getCheckpointintervalmultiplier())
      : 0;
    let scanned = 0;
    let caughtUp = false;

    while (!this.stopped) {
      const events = source();
      if (cursor < events.length) {
        const event = events[cursor]!;
        cursor += 1;
        if (filter(event)) await this.write(toResp(event));
        scanned += 1;
        if (checkpointEvery > 0 && scanned % checkpointEvery === 0) {
          const response = new ReadResp();
          response.setCheckpoint(atPosition(new ReadResp.Checkpoint(), event.position));
          await this.write(response);
        }
        continue;
      }
      if (!caughtUp) {
        caughtUp = true;
        const response = new ReadResp();
        response.setCaughtUp(new ReadResp.CaughtUp());
        await this.write(response);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        // An append may have landed while the last write was awaited.
        if (cursor < source().length || this.stopped) resolve();
      });
      this.wake = undefined;
    }
  }

  private filter(): EventFilter {
    const filterOptions = this.options.getFilter();
    if (!filterOptions) return () => true;
    const onStream = filterOptions.hasStreamIdentifier();
    const expression = onStream ? filterOptions.getStreamIdentifier() : filterOptions.getEventType();
    if (!expression) return () => true;
    const regex = expression.getRegex();
    const prefixes = expression.getPrefixList();
    const matches =
      regex !== ''
        ? (
            (pattern) => (value: string) =>
              pattern.test(value)
          )(new RegExp(regex))
        : (value: string) => prefixes.some((prefix) => value.startsWith(prefix));
    return onStream ? (event) => matches(event.streamName) : (event) => matches(event.type);
  }

  private write(response: ReadResp): Promise<void> {
    if (this.stopped || this.call.cancelled) return Promise.resolve();
    if (this.call.write(response)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.call.off('drain', done);
        this.call.off('close', done);
        resolve();
      };
      this.call.on('drain', done);
      this.call.on('close', done);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Wire helpers

function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) return '';
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function uuidToString(uuid: UUID | undefined): string {
  if (!uuid) return '';
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString();
}

function uuidMessage(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  const value = new UUID.Structured();
  value.setMostSignificantBits(BigInt.asIntN(64, bytes.readBigUInt64BE(0)).toString());
  value.setLeastSignificantBits(BigInt.asIntN(64, bytes.readBigUInt64BE(8)).toString());
  uuid.setStructured(value);
  return uuid;
}

function toProposed(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidToString(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: Uint8Array.from(message.getData_asU8()),
    customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

/** Applies one append request, whichever path it came over, to the log. */
function appendRequest(
  data: EsdbTestServerData,
  options: AppendReq.Options | BatchAppendReq.Options,
  proposed: readonly ProposedEvent[],
): AppendOutcome {
  return data.append(streamNameOf(options.getStreamIdentifier()), expectedStateOf(options), proposed);
}

/**
 * The expected state of an append request. Both append paths carry the same oneof (a revision,
 * `no_stream`, `stream_exists` or `any`); only the revision's field is named differently.
 */
function expectedStateOf(options: AppendReq.Options | BatchAppendReq.Options): ExpectedState {
  const revision = expectedRevisionOf(options);
  if (revision !== undefined) return { kind: 'revision', revision: Number(revision) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function expectedRevisionOf(options: AppendReq.Options | BatchAppendReq.Options): string | undefined {
  if (options instanceof AppendReq.Options) return options.hasRevision() ? options.getRevision() : undefined;
  return options.hasStreamPosition() ? options.getStreamPosition() : undefined;
}

function toAppendResp(outcome: AppendOutcome): AppendResp {
  const response = new AppendResp();
  if (outcome.kind === 'success') {
    response.setSuccess(fillAppendSuccess(new AppendResp.Success(), outcome, SharedEmpty, AppendResp.Position));
    return response;
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  fillWrongExpectedVersion(wrong, outcome, SharedEmpty, {
    current: (revision) => wrong.setCurrentRevision(revision),
    expected: (revision) => wrong.setExpectedRevision(revision),
  });
  response.setWrongExpectedVersion(wrong);
  return response;
}

/** The reply to a final BatchAppend request; failures are a `google.rpc.Status` so the client raises its typed errors. */
function toBatchAppendResp(
  correlation: UUID | undefined,
  options: BatchAppendReq.Options,
  data: EsdbTestServerData,
  proposed: readonly ProposedEvent[],
): BatchAppendResp {
  const response = new BatchAppendResp();
  response.setCorrelationId(correlation);
  response.setStreamIdentifier(options.getStreamIdentifier());
  writeExpectedState(expectedStateOf(options), {
    revision: (revision) => response.setStreamPosition(revision),
    noStream: () => response.setNoStream(new ProtobufEmpty()),
    streamExists: () => response.setStreamExists(new ProtobufEmpty()),
    any: () => response.setAny(new ProtobufEmpty()),
  });
  const deadline = options.getDeadline();
  if (deadline && deadline.toDate().getTime() < Date.now()) {
    response.setError(status(Code.DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new Timeout()));
    return response;
  }
  const outcome = appendRequest(data, options, proposed);
  if (outcome.kind === 'success') {
    response.setSuccess(fillAppendSuccess(new BatchAppendResp.Success(), outcome, ProtobufEmpty, AllStreamPosition));
    return response;
  }
  const wrong = new WrongExpectedVersion();
  fillWrongExpectedVersion(wrong, outcome, ProtobufEmpty, {
    current: (revision) => wrong.setCurrentStreamRevision(revision),
    expected: (revision) => wrong.setExpectedStreamPosition(revision),
  });
  response.setError(status(Code.FAILED_PRECONDITION, 'WrongExpectedVersion', 'event_store.client.WrongExpectedVersion', wrong));
  return response;
}

// The two append paths answer in different message families (`AppendResp.*` with the client's
// `Empty`, `BatchAppendResp.*`/shared messages with protobuf's `Empty`) carrying the same facts. The
// helpers below decide the facts once; each family passes its messages and its `Empty` class.

/** The success fields both families name alike. */
interface AppendSuccessMessage<Empty, Position> {
  setCurrentRevision(value: string): unknown;
  setNoStream(value: Empty): unknown;
  setPosition(value: Position): unknown;
  setNoPosition(value: Empty): unknown;
}

function fillAppendSuccess<Message extends AppendSuccessMessage<Empty, Position>, Empty, Position extends PositionMessage>(
  success: Message,
  outcome: Extract<AppendOutcome, { kind: 'success' }>,
  Empty: new () => Empty,
  Position: new () => Position,
): Message {
  if (outcome.currentRevision < 0) success.setNoStream(new Empty());
  else success.setCurrentRevision(String(outcome.currentRevision));
  if (outcome.position === null) success.setNoPosition(new Empty());
  else success.setPosition(atPosition(new Position(), outcome.position));
  return success;
}

/** The wrong-expected-version fields both families name alike; their revision fields are named differently. */
interface WrongExpectedVersionMessage<Empty> {
  setCurrentNoStream(value: Empty): unknown;
  setExpectedNoStream(value: Empty): unknown;
  setExpectedStreamExists(value: Empty): unknown;
  setExpectedAny(value: Empty): unknown;
}

function fillWrongExpectedVersion<Empty>(
  wrong: WrongExpectedVersionMessage<Empty>,
  outcome: Extract<AppendOutcome, { kind: 'wrong_expected_version' }>,
  Empty: new () => Empty,
  revisionFields: { readonly current: (revision: string) => void; readonly expected: (revision: string) => void },
): void {
  if (outcome.currentRevision === null) wrong.setCurrentNoStream(new Empty());
  else revisionFields.current(String(outcome.currentRevision));
  writeExpectedState(outcome.expected, {
    revision: revisionFields.expected,
    noStream: () => wrong.setExpectedNoStream(new Empty()),
    streamExists: () => wrong.setExpectedStreamExists(new Empty()),
    any: () => wrong.setExpectedAny(new Empty()),
  });
}

/** Where one message keeps an expected state: which field is set depends on the state. */
interface ExpectedStateFields {
  readonly revision: (revision: string) => void;
  readonly noStream: () => void;
  readonly streamExists: () => void;
  readonly any: () => void;
}

function writeExpectedState(expected: ExpectedState, fields: ExpectedStateFields): void {
  switch (expected.kind) {
    case 'revision':
      return fields.revision(String(expected.revision));
    case 'no_stream':
      return fields.noStream();
    case 'stream_exists':
      return fields.streamExists();
    case 'any':
      return fields.any();
  }
}

/** A `google.rpc.Status` whose `details` is an `Any` packing `message` — how BatchAppend reports failures. */
function status(code: Code, message: string, typeName: string, details: { serializeBinary(): Uint8Array }): Status {
  const result = new Status();
  result.setCode(code);
  result.setMessage(message);
  const any = new Any();
  any.pack(details.serializeBinary(), typeName);
  result.setDetails(any);
  return result;
}

interface PositionMessage {
  setCommitPosition(value: string): unknown;
  setPreparePosition(value: string): unknown;
}

/** Sets a message's position: commit equals prepare, as on modern servers. */
function atPosition<Message extends PositionMessage>(message: Message, position: bigint): Message {
  message.setCommitPosition(position.toString());
  message.setPreparePosition(position.toString());
  return message;
}

function readEvent(event: StoredEvent, structuredIds: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(event.id, structuredIds));
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(event.streamName, 'utf8'));
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(String(event.revision));
  atPosition(recorded, event.position);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.created.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.customMetadata);
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  read.setCommitPosition(event.position.toString());
  const response = new ReadResp();
  response.setEvent(read);
  return response;
}
