import { MAX_FIELD_CHARS, createLogger } from './logger';

function capture(level: Parameters<typeof createLogger>[0] = 'debug') {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, (line) => lines.push(line)) };
}

describe('logger (pino)', () => {
  it('writes one JSON object per line with level, time and message, and honours the level', () => {
    const { lines, logger } = capture('info');
    logger.debug('hidden');
    logger.info('shown', { answer: 42 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: 'shown',
      answer: 42,
    });
  });

  it('cuts every string field, however deep, and the message, to a bounded length', () => {
    const { lines, logger } = capture();
    const huge = 'x'.repeat(50_000);
    logger.error(huge, { operation: huge, nested: { deeper: [huge, { deepest: huge }] }, many: Array.from({ length: 1_000 }, () => 'y') });
    expect(lines[0]!.length).toBeLessThan(6 * MAX_FIELD_CHARS + 2_000);
    const line = JSON.parse(lines[0]!) as { message: string; operation: string };
    expect(line.message).toMatch(/… \(50000 characters\)$/);
    expect(line.operation.length).toBeLessThan(MAX_FIELD_CHARS + 50);
  });

  it('gives a child logger that stamps its bindings (a request’s correlation id) on every line', () => {
    const { lines, logger } = capture();
    const request = logger.child({ correlationId: 'flow-7' });
    request.info('one');
    request.child({ step: 'two' }).warn('two');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ correlationId: 'flow-7', message: 'one' }),
      expect.objectContaining({ correlationId: 'flow-7', step: 'two', level: 'warn', message: 'two' }),
    ]);
  });
});
