import { expect, it } from 'vitest';
import { cacheAt, tempDir } from '../testSupport';
import { openDatabase } from '../db';
import { CACHE_MIGRATIONS } from '../../boards';

it('migration 17 gives every outbox row its own id as wire id, and the next wire id the next mutation id', () => {
  const t = tempDir('m017');
  const { db: old, file } = cacheAt(16, t.dir);
  old.exec(`INSERT INTO outbox (mutation_id, name, args, at, status) VALUES (4, 'event.open', '{}', 'now', 'applied'), (5, 'message.post', '{}', 'now', 'pending')`);
  old.exec(`INSERT INTO meta (key, value) VALUES ('next_mutation_id', '6')`);
  old.close();
  const v17 = openDatabase(file, CACHE_MIGRATIONS.slice(0, 17));
  try {
    expect(v17.prepare('SELECT mutation_id, wire_id FROM outbox ORDER BY mutation_id').all()).toEqual([
      { mutation_id: 4, wire_id: 4 },
      { mutation_id: 5, wire_id: 5 },
    ]);
    expect(v17.prepare(`SELECT value FROM meta WHERE key = 'next_wire_id'`).get()).toEqual({ value: '6' });
    expect(() => v17.exec('UPDATE outbox SET wire_id = 4')).toThrow(/UNIQUE/);
    // A refused mutation that will never be sent again has none.
    v17.exec('UPDATE outbox SET wire_id = NULL');
  } finally {
    v17.close();
    t.cleanup();
  }
});
