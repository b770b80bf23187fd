/**
 * What every answer to a hostile request must look like, checked without knowing the request:
 * a GraphQL-conformant result (or an HTTP refusal with a JSON error body), no stack traces or
 * internal paths, a stable `extensions.code` on every error, no INTERNAL_SERVER_ERROR.
 *
 * Deviations the product is known to have are named in KNOWN_DEVIATIONS (each has an `it.failing`
 * test in the suite and is in the report); any other deviation fails the suite.
 */
import { tmpdir } from 'node:os';

export type ViolationKind =
  | 'LEAK'
  | 'SERVER_ERROR_STATUS'
  | 'NOT_JSON'
  | 'EMPTY_BODY'
  | 'SHAPE'
  | 'NO_CODE'
  | 'INTERNAL_ERROR'
  | 'DATA_ON_REQUEST_ERROR'
  | 'STATUS_200_WITHOUT_DATA'
  | 'EMPTY_BATCH'
  | 'UNEXPECTED_CODE'
  | 'UNEXPECTED_STATUS'
  | 'EXPECTED_REQUEST_ERROR'
  | 'EVENTS_APPENDED'
  | 'NOT_REJECTED'
  | 'WS_CLOSE_NOT_44XX'
  | 'WS_UNEXPECTED_CLOSE'
  | 'WS_NOT_CLOSED'
  | 'UNEXPECTED_SERVER_ERROR'
  | 'SLOW'
  | 'LIMIT_NOT_APPLIED'
  | 'NETWORK';

export interface Violation {
  readonly kind: ViolationKind;
  readonly detail: string;
  readonly status?: number;
  readonly codes?: readonly string[];
  readonly closeCode?: number;
  readonly closeReason?: string;
  readonly message?: string;
}

/** Product deviations found by this suite; the ids are the ones used in the report. */
export const KNOWN_DEVIATIONS = {
  H1: 'graphql-ws: a subscribe whose query does not parse or is refused by a query limit (tokens, aliases, directives, depth, cost) closes the whole socket with 4500 instead of answering an error message',
  H2: 'HTTP: malformed JSON in the GET/form-urlencoded `variables` or `extensions` parameter is masked as INTERNAL_SERVER_ERROR (and logged as unexpected) instead of 400 BAD_REQUEST',
  H3: 'graphql-ws: a client sending a server-only message type (next, error, connection_ack) gets close 4500 instead of 4400',
  H4: 'graphql-ws: an operationName that names no operation is answered with an error without extensions.code',
  H5: 'HTTP: with Accept application/graphql-response+json, QUERY_TOO_COMPLEX from the validation-phase limits and UNAUTHENTICATED (bad token) answer 200 without data (spec: 4xx)',
  H6: 'HTTP: the 406 (no acceptable media type) and 415 (unsupported content type) refusals have an empty body',
  H7: 'HTTP: refusals without extensions.code (multipart "map" error; the CSRF 403 now carries CSRF_PREVENTED)',
  H8: 'HTTP: an empty batch `[]` is answered 200 `[]`, not an error',
  H9: "HTTP: the Node HTTP parser's refusals (invalid Content-Length, headers over 16 KB) are 400/431 with no JSON body",
  H10: 'a list literal nested ~2,000 deep (within the 2,000-token limit) overflows the parser stack: masked INTERNAL_SERVER_ERROR over HTTP, close 4500 "Maximum call stack size exceeded" over graphql-ws',
  H11: "the directive limit ignores directives on repeated spreads of the same fragment (graphql-armor max-directives memoizes the fragment and drops the spread's own directives)",
  H12: 'HTTP: a subscription inside a batch is answered with `{}` (neither data nor errors)',
} as const;
export type KnownDeviation = keyof typeof KNOWN_DEVIATIONS;

export interface CaseContext {
  /** Free-form tags the case sets about what it sent (e.g. `param-json`, `raw-http`). */
  readonly tags: readonly string[];
}

export function knownDeviationFor(violation: Violation, context: CaseContext): KnownDeviation | null {
  const tagged = (tag: string) => context.tags.includes(tag);
  switch (violation.kind) {
    case 'WS_CLOSE_NOT_44XX':
    case 'WS_UNEXPECTED_CLOSE':
      if (violation.closeCode === 4500 && /Maximum call stack/.test(violation.closeReason ?? '')) return 'H10';
      if (violation.closeCode === 4500 && /^Syntax Error|too large or too complex/.test(violation.closeReason ?? '')) return 'H1';
      if (violation.closeCode === 4500 && /^Unexpected message of type/.test(violation.closeReason ?? '')) return 'H3';
      return null;
    case 'INTERNAL_ERROR':
    case 'UNEXPECTED_SERVER_ERROR':
      if (tagged('parser-stack')) return 'H10';
      return tagged('param-json') ? 'H2' : null;
    case 'LEAK':
      // The stack overflow's message is the close reason graphql-ws sends (not a stack trace or a path).
      return tagged('parser-stack') && /Maximum call stack size exceeded/.test(violation.detail) ? 'H10' : null;
    case 'SHAPE':
      return tagged('batch-subscription') && violation.detail === 'neither data nor errors' ? 'H12' : null;
    case 'LIMIT_NOT_APPLIED':
      return tagged('spread-directives') ? 'H11' : null;
    case 'NO_CODE':
      if (violation.message === 'Unable to identify operation') return 'H4';
      if (/CSRF|^Multipart form field/.test(violation.message ?? '')) return 'H7';
      return null;
    case 'STATUS_200_WITHOUT_DATA':
      return violation.codes &&
        violation.codes.length > 0 &&
        violation.codes.every((code) => code === 'QUERY_TOO_COMPLEX' || code === 'UNAUTHENTICATED')
        ? 'H5'
        : null;
    case 'EMPTY_BODY':
      if (tagged('raw-http') || violation.status === 431) return 'H9';
      return violation.status === 406 || violation.status === 415 ? 'H6' : null;
    case 'EMPTY_BATCH':
      return 'H8';
    default:
      return null;
  }
}

const LEAK_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/work\//, 'absolute path /work/'],
  [new RegExp(escapeRegExp(process.cwd())), 'working directory'],
  [new RegExp(`${escapeRegExp(tmpdir())}/eventshop`), 'data directory'],
  [/node_modules/, 'node_modules path'],
  [/\n\s+at\s/, 'stack trace'],
  [/\\n\s+at\s/, 'stack trace (escaped in JSON)'],
  // Bounded and anchored on rare characters, so that a 1 MB echo of client input is scanned in linear time.
  [/\bat (?:async )?\S{1,200} \(\S{1,300}:\d+:\d+\)/, 'stack frame'],
  [/\.(?:ts|js|cjs|mjs):\d+/, 'source location'],
  [/SqliteError|SQLITE_[A-Z]/, 'SQLite error'],
  [/\b(TypeError|ReferenceError|RangeError|AssertionError)\b/, 'JavaScript error name'],
  [/Cannot read propert(y|ies) of|is not a function|Maximum call stack|is not iterable/, 'JavaScript runtime error'],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function leaks(text: string | undefined): Violation[] {
  if (!text) return [];
  return LEAK_PATTERNS.filter(([pattern]) => pattern.test(text)).map(([pattern, what]) => ({
    kind: 'LEAK' as const,
    detail: `${what}: …${excerpt(text, pattern)}…`,
  }));
}

function excerpt(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) return '';
  return text.slice(Math.max(0, match.index - 60), match.index + 80);
}

const ERROR_KEYS = new Set(['message', 'locations', 'path', 'extensions']);
const RESULT_KEYS = new Set(['data', 'errors', 'extensions']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface ResultSummary {
  readonly codes: string[];
  readonly hasData: boolean;
  readonly requestError: boolean;
  readonly errorMessages: string[];
}

/** Checks one GraphQL result (`{ data?, errors?, extensions? }`) against the spec's response format. */
export function checkResult(result: unknown, violations: Violation[]): ResultSummary {
  const summary: ResultSummary = { codes: [], hasData: false, requestError: false, errorMessages: [] };
  if (!isPlainObject(result)) {
    violations.push({ kind: 'SHAPE', detail: `a result must be an object, got ${JSON.stringify(result)?.slice(0, 80)}` });
    return summary;
  }
  for (const key of Object.keys(result)) {
    if (!RESULT_KEYS.has(key)) violations.push({ kind: 'SHAPE', detail: `unexpected top-level key "${key}"` });
  }
  const hasData = 'data' in result && result.data !== null && result.data !== undefined;
  const errors = result.errors;
  if (errors === undefined) {
    if (!('data' in result)) violations.push({ kind: 'SHAPE', detail: 'neither data nor errors' });
    return { ...summary, hasData };
  }
  if (!Array.isArray(errors) || errors.length === 0) {
    violations.push({ kind: 'SHAPE', detail: 'errors must be a non-empty list' });
    return { ...summary, hasData };
  }
  const codes: string[] = [];
  const messages: string[] = [];
  let anyPath = false;
  for (const error of errors) {
    if (!isPlainObject(error)) {
      violations.push({ kind: 'SHAPE', detail: `an error must be an object, got ${JSON.stringify(error)?.slice(0, 80)}` });
      continue;
    }
    for (const key of Object.keys(error)) {
      if (!ERROR_KEYS.has(key)) violations.push({ kind: 'SHAPE', detail: `unexpected error key "${key}"` });
    }
    if (typeof error.message !== 'string' || error.message.trim().length === 0) {
      violations.push({ kind: 'SHAPE', detail: 'an error must have a non-empty message' });
    } else {
      messages.push(error.message);
    }
    if (error.locations !== undefined) {
      const ok =
        Array.isArray(error.locations) &&
        error.locations.every(
          (l: unknown) =>
            isPlainObject(l) &&
            Number.isInteger(l.line) &&
            Number.isInteger(l.column) &&
            (l.line as number) > 0 &&
            (l.column as number) > 0,
        );
      if (!ok) violations.push({ kind: 'SHAPE', detail: `bad locations ${JSON.stringify(error.locations)}` });
    }
    if (error.path !== undefined) {
      anyPath = true;
      const ok = Array.isArray(error.path) && error.path.every((p: unknown) => typeof p === 'string' || Number.isInteger(p));
      if (!ok) violations.push({ kind: 'SHAPE', detail: `bad path ${JSON.stringify(error.path)}` });
    }
    if (error.extensions !== undefined && !isPlainObject(error.extensions)) {
      violations.push({ kind: 'SHAPE', detail: 'extensions must be an object' });
    }
    const code = isPlainObject(error.extensions) ? error.extensions.code : undefined;
    if (typeof code === 'string' && code.length > 0) {
      codes.push(code);
      if (code === 'INTERNAL_SERVER_ERROR')
        violations.push({ kind: 'INTERNAL_ERROR', detail: `masked internal error: "${String(error.message)}"`, codes: [code] });
    } else {
      violations.push({
        kind: 'NO_CODE',
        detail: `error without extensions.code: "${String(error.message)}"`,
        message: String(error.message),
      });
    }
  }
  const requestError = !anyPath;
  if (requestError && hasData) violations.push({ kind: 'DATA_ON_REQUEST_ERROR', detail: 'a request error must not carry data' });
  return { codes, hasData, requestError, errorMessages: messages };
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

export interface HttpSummary {
  readonly results: ResultSummary[];
  readonly batch: boolean;
  readonly json: unknown;
}

/** Checks an HTTP answer: status below 500, a JSON body (object or batch array), each result conformant. */
export function checkHttpAnswer(answer: HttpAnswer, violations: Violation[]): HttpSummary {
  violations.push(...leaks(answer.text));
  if (answer.status >= 500) violations.push({ kind: 'SERVER_ERROR_STATUS', detail: `HTTP ${answer.status}`, status: answer.status });
  if (answer.text.length === 0) {
    if (answer.status >= 400)
      violations.push({ kind: 'EMPTY_BODY', detail: `HTTP ${answer.status} with an empty body`, status: answer.status });
    else violations.push({ kind: 'SHAPE', detail: `HTTP ${answer.status} with an empty body`, status: answer.status });
    return { results: [], batch: false, json: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    violations.push({
      kind: 'NOT_JSON',
      detail: `HTTP ${answer.status} body is not JSON: ${answer.text.slice(0, 120)}`,
      status: answer.status,
    });
    return { results: [], batch: false, json: undefined };
  }
  if (Array.isArray(json)) {
    if (json.length === 0) violations.push({ kind: 'EMPTY_BATCH', detail: `HTTP ${answer.status} []`, status: answer.status });
    return { results: json.map((result) => checkResult(result, violations)), batch: true, json };
  }
  const summary = checkResult(json, violations);
  const graphqlResponseJson = (answer.contentType ?? '').includes('application/graphql-response+json');
  if (graphqlResponseJson && answer.status === 200 && isPlainObject(json) && !('data' in json)) {
    violations.push({
      kind: 'STATUS_200_WITHOUT_DATA',
      detail: `application/graphql-response+json, HTTP 200 without data (${summary.codes.join(', ')})`,
      codes: summary.codes,
      status: 200,
    });
  }
  return { results: [summary], batch: false, json };
}
