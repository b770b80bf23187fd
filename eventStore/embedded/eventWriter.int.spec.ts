/** The embedded store's writes, on a real SQLite database. */
import { openEventDatabase } from './eventDatabase';
import { DELETE_EXPIRED_EVENTS } from './eventWriter';

describe('EventWriter', () => {
  it('prunes expired rows stream by stream through the index, never by scanning the events table', () => {
    const db = openEventDatabase(':memory:');
    try {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${DELETE_EXPIRED_EVENTS}`).all() as Array<{ detail: string }>).map(
        (step) => step.detail,
      );
      // At open and hourly: a scan of `events` took 0.46 s at 1,000,000 events.
      expect(plan.filter((detail) => /^SCAN events\b/.test(detail))).toEqual([]);
      expect(plan.some((detail) => /^SEARCH events USING INDEX .*\(stream_name=\?\)/.test(detail))).toBe(true);
    } finally {
      db.close();
    }
  });
});
