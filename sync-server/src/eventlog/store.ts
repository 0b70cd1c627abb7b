/** The event log's own reads on the server, outside mutators. */
import type Database from 'better-sqlite3';

export interface EventLogStore {
  countEvents(): Promise<number>;
}

export function sqliteEventLogStore(db: Database.Database): EventLogStore {
  const count = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM events`);
  return {
    async countEvents() {
      return count.get()?.n ?? 0;
    },
  };
}
