import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 3 brings a version-2 database (event log only) to the beds schema, keeping its rows and its change log', () => {
  const t = tempDir();
  const { db: old, file } = serverDbAt(2, t.dir);
  const path = '/FR/';
  old.exec(`
    INSERT INTO users (id, username, display_name, role, password_hash, created_at)
      VALUES ('u1', 'nat', 'Cellule', 'national', 'x', '2020-03-20T08:00:00.000Z');
    INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES ('client-nat-1', 'u1', 1);
    INSERT INTO mutation_results (client_id, mutation_id, status, version) VALUES ('client-nat-1', 1, 'applied', 1);
    INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path)
      VALUES ('e1', 'Covid-19 — vague 1', '', 'FR', 'open', '2020-03-20T08:00:00.000Z', 'Cellule', 1, '${path}');
    INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at)
      VALUES (1, 'event', 'e1', '${path}', '{"id":"e1","version":1}', '2020-03-20T08:00:00.000Z');
  `);
  old.close();
  const db = new Database(file);
  try {
    migrate(db, SERVER_MIGRATIONS.slice(0, 3));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT version, entity, entity_id, payload FROM change_log').all()).toEqual([
      { version: 1, entity: 'event', entity_id: 'e1', payload: '{"id":"e1","version":1}' },
    ]);
    expect(db.prepare('SELECT last_mutation_id AS n FROM clients').get()).toEqual({ n: 1 });
    // The rebuilt change log accepts unit rows and keeps its integer primary key.
    db.exec(`INSERT INTO change_log VALUES (2, 'unit', 'r', '${path}', '{}', 'x')`);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'change_log_v3'`).get()).toBeUndefined();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('change_log_sync', 'unit_current_version', 'unit_reports_unit') ORDER BY name`).all()).toEqual([
      { name: 'change_log_sync' },
      { name: 'unit_current_version' },
      { name: 'unit_reports_unit' },
    ]);
  } finally {
    db.close();
    t.cleanup();
  }
});
