/**
 * The HTTP load generator: autocannon, in its own process, kept alive between runs. The
 * orchestrator asks it for one slice of load at a time (`run`), so it can interleave the servers
 * of a comparison in short slices and every server sees the same share of a noisy machine.
 * Each response's latency is recorded exactly (autocannon's own histogram rounds to whole ms),
 * and GraphQL-level errors, which arrive with HTTP 200, are counted.
 */
import autocannon from 'autocannon';
import { fail, onRequest, sendReady } from '../lib/childRuntime';

export interface HttpSliceInput {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  /** One per request, round-robin. */
  readonly bodies: readonly string[];
  readonly headers?: Record<string, string>;
  /** Warm-up slices are run but only their successes are returned. */
  readonly warmup?: boolean;
}

/** How a load went, answer by answer: a slice of it, or all the slices of a server added up. */
export interface ResponseCounts {
  readonly durationS: number;
  readonly responses: number;
  /** 2xx responses without a GraphQL `errors` entry. */
  readonly ok: number;
  readonly graphqlErrors: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly timeouts: number;
  /** The first failed answer (or GraphQL error), to show what went wrong. */
  readonly sampleError: string | null;
}

export interface HttpSliceResult extends ResponseCounts {
  /** Latency of every response, ms (empty for warm-ups). */
  readonly latenciesMs: readonly number[];
}

let next = 0;

async function slice(input: HttpSliceInput): Promise<HttpSliceResult> {
  let graphqlErrors = 0;
  let sampleError: string | null = null;
  const latencies: number[] = [];
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...input.headers };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: input.url,
        connections: input.connections,
        duration: input.durationS,
        method: 'POST',
        headers,
        body: input.bodies[0],
        requests: [
          {
            method: 'POST',
            ...(input.bodies.length > 1
              ? { setupRequest: (request: autocannon.Request) => ({ ...request, body: input.bodies[next++ % input.bodies.length]! }) }
              : {}),
            onResponse: (status: number, body: string) => {
              if (status >= 200 && status < 300 && body.includes('"errors"')) {
                graphqlErrors += 1;
                sampleError ??= body.slice(0, 500);
              } else if (status >= 300) sampleError ??= `${status} ${body.slice(0, 500)}`;
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    if (!input.warmup) {
      instance.on('response', (_client, _status, _bytes, responseTime) => {
        latencies.push(responseTime);
      });
    }
  });
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    durationS: result.duration,
    responses,
    ok: result['2xx'] - graphqlErrors,
    graphqlErrors,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    latenciesMs: latencies,
    sampleError,
  };
}

onRequest('run', (data) => slice(data as HttpSliceInput));
try {
  sendReady();
} catch (error) {
  fail(error);
}
