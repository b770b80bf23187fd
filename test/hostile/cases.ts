/**
 * The hostile-case model: one case sends one hostile request (or a short WebSocket exchange), and
 * its observation is checked against the generic conformance rules and the case's expectations.
 * The runner counts events around every case and keeps the per-class tally for the final table.
 */
import type { ExecutionResult } from 'graphql-ws';
import {
  checkHttpAnswer,
  checkResult,
  knownDeviationFor,
  leaks,
  type HttpAnswer,
  type KnownDeviation,
  type ResultSummary,
  type Violation,
} from './conformance';
import type { RawWsOutcome, WsOperationOutcome } from './wire';

export const CLASSES = {
  'schema-variables': 'operations generated from the schema, with wrong variables',
  complexity: 'deep nesting, alias floods, fragment cycles, directive floods, token counts, cost',
  'huge-and-unicode': 'huge strings and lists, Unicode edge cases in names and SKUs',
  ids: "unknown and injected ids, other customers' orders",
  'http-transport': 'broken JSON, non-object bodies, batching, content types, methods, body size, framing',
  websocket: 'graphql-transport-ws violations, bad tokens, huge frames, operations over graphql-ws',
} as const;
export type ClassName = keyof typeof CLASSES;

export interface Expect {
  /** Must be a request error: errors and no data (or a refusal / close). */
  readonly requestError?: boolean;
  /** Every observed extensions.code must be one of these. */
  readonly codes?: readonly string[];
  /** Allowed HTTP statuses. */
  readonly status?: readonly number[];
  /** A write: `reject` (nothing may be appended, errors must carry codes) or `either` (accepted writes append exactly one event each). */
  readonly mutation?: 'reject' | 'either';
  /** Must answer with at least one error (e.g. a subscription to something that does not exist). */
  readonly mustError?: boolean;
  /** Raw WebSocket: close codes that satisfy the case. */
  readonly close?: readonly number[];
  /** Raw WebSocket: the socket must stay usable (a ping is answered). With `close` too, either satisfies. */
  readonly alive?: boolean;
}

export type Transport = 'HTTP' | 'raw HTTP' | 'WS' | 'raw WS';

export interface Observation {
  readonly transport: Transport;
  /** One short label for the table, e.g. `HTTP 400 BAD_USER_INPUT` or `raw WS close 4400`. */
  readonly outcome: string;
  readonly codes: readonly string[];
  readonly violations: readonly Violation[];
  /** Root mutation fields that returned data (each appends exactly one event). */
  readonly acceptedWrites: number;
  readonly hasData: boolean;
  /** Every GraphQL result was a request error, or the request was refused / closed. */
  readonly requestError: boolean;
  readonly errorCount: number;
  readonly status?: number;
  readonly closeCode?: number | null;
  readonly alive?: boolean;
  /** `data` of every result, for case-specific checks. */
  readonly data: readonly unknown[];
  readonly excerpt: string;
}

export interface HostileCase {
  readonly cls: ClassName;
  readonly label: string;
  readonly tags?: readonly string[];
  /** Which gateway's store to count events in. */
  readonly store?: 'main' | 'roomy';
  readonly expect: Expect;
  readonly exec: () => Promise<Observation>;
  /** Case-specific checks on top of the generic ones. */
  readonly verify?: (observation: Observation) => Violation[];
}

const unique = (values: readonly string[]) => [...new Set(values)].sort();
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function acceptedWritesIn(results: readonly unknown[]): number {
  let count = 0;
  for (const result of results) {
    if (isObject(result) && isObject(result.data))
      count += Object.values(result.data).filter((value) => value !== null && value !== undefined).length;
  }
  return count;
}

function describeResults(summaries: readonly ResultSummary[], hasData: boolean): string {
  const codes = unique(summaries.flatMap((s) => s.codes));
  if (codes.length > 0) return codes.join('+') + (hasData ? ' (+data)' : '');
  return hasData ? 'data' : 'no data';
}

/** The observation's fields that follow from its GraphQL results, alike on every transport. */
function resultFields(
  summaries: readonly ResultSummary[],
  results: readonly unknown[],
  { mutation = false, refused }: { mutation?: boolean; refused: boolean },
): Pick<Observation, 'codes' | 'acceptedWrites' | 'hasData' | 'requestError' | 'errorCount' | 'data'> {
  return {
    codes: summaries.flatMap((s) => s.codes),
    acceptedWrites: mutation ? acceptedWritesIn(results) : 0,
    hasData: summaries.some((s) => s.hasData),
    // A refused request (an HTTP error status without a result, a socket closed on it) is a request error too.
    requestError: refused || (summaries.length > 0 && summaries.every((s) => s.requestError)),
    errorCount: summaries.reduce((n, s) => n + s.errorMessages.length, 0),
    data: results.map((r) => (isObject(r) ? r.data : undefined)),
  };
}

export function observeHttp(answer: HttpAnswer, options: { mutation?: boolean; transport?: Transport } = {}): Observation {
  const violations: Violation[] = [];
  const summary = checkHttpAnswer(answer, violations);
  const results = summary.batch ? (summary.json as unknown[]) : summary.json === undefined ? [] : [summary.json];
  const fields = resultFields(summary.results, results, {
    mutation: options.mutation,
    refused: summary.results.length === 0 && answer.status >= 400,
  });
  const transport = options.transport ?? 'HTTP';
  const what =
    summary.results.length > 0
      ? describeResults(summary.results, fields.hasData)
      : answer.text.length === 0
        ? 'empty body'
        : summary.batch
          ? 'empty batch'
          : 'not JSON';
  return {
    transport,
    outcome: `${transport} ${answer.status}${summary.batch ? ` batch×${results.length}` : ''} ${what}`,
    ...fields,
    violations,
    status: answer.status,
    excerpt: `HTTP ${answer.status} ${answer.contentType ?? '-'} ${answer.text.slice(0, 400)}`,
  };
}

export function observeWs(outcome: WsOperationOutcome, options: { mutation?: boolean } = {}): Observation {
  const violations: Violation[] = [];
  const text = JSON.stringify(outcome);
  violations.push(...leaks(text));
  const results: ExecutionResult[] = [...outcome.results];
  const summaries = results.map((result) => checkResult(result, violations));
  let closeCode: number | null = null;
  let label: string;
  if (outcome.kind === 'error') {
    summaries.push(checkResult({ errors: outcome.errors }, violations));
    label = `WS error ${describeResults(summaries, false)}`;
  } else if (outcome.kind === 'closed') {
    closeCode = outcome.code;
    violations.push({
      kind: 'WS_UNEXPECTED_CLOSE',
      detail: `socket closed ${outcome.code} "${outcome.reason}"`,
      closeCode: outcome.code,
      closeReason: outcome.reason,
    });
    label = `WS closed ${outcome.code}`;
  } else if (outcome.kind === 'failed') {
    violations.push({ kind: 'NETWORK', detail: outcome.message });
    label = 'WS failed';
  } else if (outcome.kind === 'pending') {
    label = `WS subscribed${
      summaries.length > 0
        ? ` ${describeResults(
            summaries,
            summaries.some((s) => s.hasData),
          )}`
        : ''
    }`;
  } else {
    label = `WS next ${describeResults(
      summaries,
      summaries.some((s) => s.hasData),
    )}`;
  }
  return {
    transport: 'WS',
    outcome: label,
    ...resultFields(summaries, results, { mutation: options.mutation, refused: outcome.kind === 'closed' }),
    violations,
    closeCode,
    excerpt: text.slice(0, 400),
  };
}

export function observeRawWs(outcome: RawWsOutcome, expect: Expect, options: { mutation?: boolean } = {}): Observation {
  const violations: Violation[] = [];
  for (const text of [...outcome.rawMessages, outcome.closeReason]) violations.push(...leaks(text));
  const summaries: ResultSummary[] = [];
  const results: unknown[] = [];
  for (const message of outcome.messages) {
    if (message.type === 'error') summaries.push(checkResult({ errors: message.payload }, violations));
    if (message.type === 'next') {
      summaries.push(checkResult(message.payload, violations));
      results.push(message.payload);
    }
    if ('unparsable' in message) violations.push({ kind: 'NOT_JSON', detail: `server frame is not JSON: ${String(message.unparsable)}` });
  }
  const code = outcome.closeCode;
  const closedByServer = code !== null && code !== 1000 && code !== 1005;
  const expectedClose = expect.close ?? [];
  if (closedByServer) {
    const ok = expectedClose.includes(code);
    if (!ok) {
      // A 44xx other than the expected one, or any close where the socket should have stayed open,
      // is an unexpected close; a non-44xx close for a protocol violation is the wrong kind of close.
      const kind = (code >= 4400 && code <= 4499) || expect.alive ? 'WS_UNEXPECTED_CLOSE' : 'WS_CLOSE_NOT_44XX';
      violations.push({
        kind,
        detail: `closed ${code} "${outcome.closeReason}" (expected ${expectedClose.join('/') || 'the socket to stay open'})`,
        closeCode: code,
        closeReason: outcome.closeReason,
      });
    }
  } else if (expectedClose.length > 0 && !expect.alive) {
    violations.push({
      kind: 'WS_NOT_CLOSED',
      detail: `expected close ${expectedClose.join('/')}, the socket ${outcome.alive ? 'still answers pings' : 'stayed silent'}`,
    });
  } else if (expect.alive && !outcome.alive) {
    violations.push({ kind: 'NETWORK', detail: `no pong after the frames (${outcome.clientError ?? 'no client error'})` });
  }
  const fields = resultFields(summaries, results, { mutation: options.mutation, refused: closedByServer });
  const messageTypes = unique(outcome.messages.map((m) => String(m.type ?? '?')).filter((t) => t !== 'connection_ack' && t !== 'pong'));
  const label = closedByServer
    ? `raw WS close ${code}`
    : `raw WS open${summaries.length > 0 ? ` ${messageTypes.join('+')} ${describeResults(summaries, fields.hasData)}` : ''}`;
  return {
    transport: 'raw WS',
    outcome: label,
    ...fields,
    violations,
    closeCode: code,
    alive: outcome.alive,
    excerpt: `close=${code} "${outcome.closeReason}" messages=${outcome.rawMessages.join(' | ').slice(0, 400)}${outcome.clientError ? ` clientError=${outcome.clientError}` : ''}`,
  };
}

/** The case's own expectations, on top of the generic checks already in the observation. */
export function expectationViolations(c: HostileCase, observation: Observation, eventDelta: number, elapsedMs: number): Violation[] {
  const { expect } = c;
  const violations: Violation[] = [...observation.violations, ...(c.verify?.(observation) ?? [])];
  if (expect.status && observation.status !== undefined && !expect.status.includes(observation.status)) {
    violations.push({
      kind: 'UNEXPECTED_STATUS',
      detail: `HTTP ${observation.status}, expected ${expect.status.join('/')}`,
      status: observation.status,
    });
  }
  if (expect.codes) {
    const unexpected = unique(observation.codes.filter((code) => !expect.codes!.includes(code)));
    if (unexpected.length > 0)
      violations.push({
        kind: 'UNEXPECTED_CODE',
        detail: `codes ${unexpected.join(', ')}; expected only ${expect.codes.join(', ')}`,
        codes: unexpected,
      });
  }
  if (expect.requestError && (observation.hasData || !observation.requestError)) {
    violations.push({ kind: 'EXPECTED_REQUEST_ERROR', detail: `expected a request error, got ${observation.outcome}` });
  }
  if (expect.mustError && observation.errorCount === 0 && !observation.requestError) {
    violations.push({ kind: 'NOT_REJECTED', detail: `expected an error, got ${observation.outcome}` });
  }
  if (expect.mutation === 'reject' && observation.acceptedWrites > 0) {
    violations.push({ kind: 'NOT_REJECTED', detail: `the write was accepted (${observation.acceptedWrites} field(s) with data)` });
  }
  // A 44xx close (protocol violation) or 1009 (message too big) refuses the write before it runs.
  const refusedByProtocol =
    observation.closeCode != null && ((observation.closeCode >= 4400 && observation.closeCode <= 4499) || observation.closeCode === 1009);
  if (
    expect.mutation &&
    observation.acceptedWrites === 0 &&
    observation.codes.length === 0 &&
    observation.violations.length === 0 &&
    !refusedByProtocol
  ) {
    violations.push({ kind: 'NO_CODE', detail: `a rejected write without extensions.code (${observation.outcome})` });
  }
  const expectedDelta = expect.mutation === 'either' ? observation.acceptedWrites : 0;
  if (eventDelta !== expectedDelta) {
    violations.push({ kind: 'EVENTS_APPENDED', detail: `${eventDelta} event(s) appended, expected ${expectedDelta}` });
  }
  if (elapsedMs > 5_000) violations.push({ kind: 'SLOW', detail: `answered after ${elapsedMs} ms` });
  return violations;
}

export interface ClassTally {
  count: number;
  readonly outcomes: Map<string, number>;
  readonly codes: Map<string, number>;
  readonly known: Map<KnownDeviation, number>;
  accepted: number;
}

export class Tally {
  readonly classes = new Map<ClassName, ClassTally>();
  readonly knownExamples = new Map<KnownDeviation, string>();

  record(cls: ClassName, observation: Observation, known: readonly KnownDeviation[], label: string): void {
    let tally = this.classes.get(cls);
    if (!tally) {
      tally = { count: 0, outcomes: new Map(), codes: new Map(), known: new Map(), accepted: 0 };
      this.classes.set(cls, tally);
    }
    tally.count += 1;
    tally.accepted += observation.acceptedWrites;
    bump(tally.outcomes, observation.outcome);
    for (const code of unique(observation.codes)) bump(tally.codes, code);
    for (const id of unique(known) as KnownDeviation[]) {
      bump(tally.known, id);
      if (!this.knownExamples.has(id)) this.knownExamples.set(id, `${cls}: ${label}`);
    }
  }

  table(seed: number, extra: string[] = []): string {
    const lines: string[] = [];
    lines.push(`Hostile input suite — seed ${seed} (0x${seed.toString(16)}); rerun with HOSTILE_SEED=${seed}`);
    lines.push('');
    lines.push('| class | cases | outcomes (count) | codes (cases) | known deviations (cases) |');
    lines.push('|---|---:|---|---|---|');
    let total = 0;
    for (const [cls, tally] of this.classes) {
      total += tally.count;
      const outcomes = [...tally.outcomes]
        .sort((a, b) => b[1] - a[1])
        .map(([o, n]) => `${o} ×${n}`)
        .join('; ');
      const codes = [...tally.codes]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ×${n}`)
        .join(', ');
      const known =
        [...tally.known]
          .sort(byId)
          .map(([id, n]) => `${id} ×${n}`)
          .join(', ') || '—';
      lines.push(
        `| ${cls} | ${tally.count} | ${outcomes}${tally.accepted > 0 ? `; accepted writes: ${tally.accepted}` : ''} | ${codes || '—'} | ${known} |`,
      );
    }
    lines.push(`| **total** | **${total}** | | | |`);
    if (this.knownExamples.size > 0) {
      lines.push('');
      lines.push('Known deviations hit (first case of each):');
      for (const [id, example] of [...this.knownExamples].sort(byId)) lines.push(`  ${id}: ${example}`);
    }
    lines.push(...extra);
    return lines.join('\n');
  }
}

/** H2 before H10. */
const byId = (a: readonly [string, unknown], b: readonly [string, unknown]) => Number(a[0].slice(1)) - Number(b[0].slice(1));

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Violations that only restate a known deviation from the case's point of view (the status, the
 * codes or the missing data that the deviation itself causes). They are attributed to that
 * deviation when one was seen in the same case; a leak, a 5xx, an appended event, an accepted
 * write or a malformed result is never excused.
 */
const DERIVED: ReadonlySet<Violation['kind']> = new Set([
  'UNEXPECTED_STATUS',
  'UNEXPECTED_CODE',
  'EXPECTED_REQUEST_ERROR',
  'STATUS_200_WITHOUT_DATA',
  'NO_CODE',
]);

export function classify(violations: readonly Violation[], tags: readonly string[]): { known: KnownDeviation[]; unknown: Violation[] } {
  const known: KnownDeviation[] = [];
  const unexplained: Violation[] = [];
  for (const violation of violations) {
    const id = knownDeviationFor(violation, { tags });
    if (id) known.push(id);
    else unexplained.push(violation);
  }
  const unknown = known.length > 0 ? unexplained.filter((violation) => !DERIVED.has(violation.kind)) : unexplained;
  return { known, unknown };
}
