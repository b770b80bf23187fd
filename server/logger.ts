/**
 * Structured logs through pino: one JSON object per line on stdout,
 * `{ "level": "info", "time": "…", "message": "…", …fields }`. The shape callers use is unchanged
 * (`logger.info(message, fields)`); `child(bindings)` gives a logger that adds fields to every line
 * (a request's correlation id). Whatever a client sent, a line stays bounded: every string field
 * is cut at MAX_FIELD_CHARS and nested values at a fixed depth and width.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../projections/projectionRunner';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface GatewayLogger extends Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines all carry `bindings` (e.g. the request's correlation id). */
  child(bindings: Record<string, unknown>): GatewayLogger;
}

export const MAX_FIELD_CHARS = 2_000;
const MAX_DEPTH = 4;
const MAX_ENTRIES = 50;

/** A copy of `value` with long strings cut and deep or wide structures elided. */
export function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS)}… (${value.length} characters)` : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return bounded(value.message, depth);
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ENTRIES).map((item) => bounded(item, depth + 1));
    return value.length > MAX_ENTRIES ? [...items, `… (${value.length} items)`] : items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, MAX_ENTRIES)) out[key.slice(0, 100)] = bounded(item, depth + 1);
  if (entries.length > MAX_ENTRIES) out['…'] = `${entries.length} keys`;
  return out;
}

function wrap(logger: PinoLogger): GatewayLogger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (!logger.isLevelEnabled(level)) return;
    if (fields) logger[level](bounded(fields) as Record<string, unknown>, bounded(message) as string);
    else logger[level](bounded(message) as string);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(logger.child(bounded(bindings) as Record<string, unknown>)),
  };
}

/** `write` receives each line (with its newline); by default lines go to stdout. */
export function createLogger(level: LogLevel, write?: (line: string) => void): GatewayLogger {
  const destination: DestinationStream = write ? { write } : pino.destination({ dest: 1, sync: true });
  return wrap(
    pino(
      {
        level,
        messageKey: 'message',
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
  );
}
