import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 10 gives every stored report no surge, no assignment and no ROR detail, and says so in what a pull serves', () => {
  const t = tempDir();
  const { db } = serverDbAt(9, t.dir);
  try {
    const cols = 'id, finess, unit_id, unit_type, installed, staffed, available, comment, source, reported_by, reported_role, at, version, scope_path';
    db.prepare(`INSERT INTO unit_reports (${cols}) VALUES ('r1', '750100125', 'REA_MED', 'REA_MED', 20, 18, 4, '', 'app', 'x', 'x', '2020-03-24T08:00:00Z', 1, '/FR/')`).run();
    db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (1, 'unit', '750100125:REA_MED', '/FR/', ?, 'now', 1)`).run(
      JSON.stringify({ id: 'r1', unitId: 'REA_MED', available: 4 }),
    );
    db.exec(`INSERT INTO unit_current (finess, unit_id, report_id, version, scope_path, at) VALUES ('750100125', 'REA_MED', 'r1', 1, '/FR/', '2020-03-24T08:00:00Z')`);
    migrate(db, SERVER_MIGRATIONS.slice(0, 10));
    expect(db.prepare('SELECT surge, assignment, temporary, ror FROM unit_reports').all()).toEqual([{ surge: null, assignment: null, temporary: 0, ror: null }]);
    expect(JSON.parse((db.prepare('SELECT payload FROM change_log').get() as { payload: string }).payload)).toEqual({
      id: 'r1',
      unitId: 'REA_MED',
      available: 4,
      surge: null,
      assignment: null,
      temporary: false,
      ror: null,
    });
    expect(() => db.prepare(`UPDATE unit_reports SET assignment = 'covid?'`).run()).toThrow(/CHECK/);
  } finally {
    db.close();
    t.cleanup();
  }
});
