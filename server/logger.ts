import type { Logger } from '../projections/projectionRunner';

const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** Structured logs: one JSON object per line on stdout. */
export function createLogger(level: keyof typeof ORDER, write: (line: string) => void = (line) => process.stdout.write(line)): Logger & {
  debug(message: string, fields?: Record<string, unknown>): void;
} {
  const threshold = ORDER[level];
  const log = (at: Exclude<keyof typeof ORDER, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < threshold) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
