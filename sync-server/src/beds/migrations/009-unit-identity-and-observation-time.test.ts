import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 9 gives every unit its type as its id, keys the current figures by unit with their time, and names the unit in what a pull serves', () => {
  const t = tempDir();
  const { db } = serverDbAt(8, t.dir);
  try {
    const cols = 'id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra_24h, extra_72h, comment, source, reported_by, reported_role, at, version, scope_path';
    const insert = db.prepare(`INSERT INTO unit_reports (${cols}) VALUES (?, '750100125', ?, 20, 18, ?, NULL, NULL, NULL, NULL, '', 'app', 'x', 'establishment:750100125', ?, ?, '/FR/11/75/E:750100125/')`);
    insert.run('r1', 'REA_MED', 4, '2020-03-24T08:00:00.000Z', 1);
    insert.run('r2', 'REA_MED', 3, '2020-03-24T12:00:00+01:00', 2);
    insert.run('r3', 'USC_MED', 1, '2020-03-24T09:00:00.000Z', 3);
    const log = db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, 'unit', ?, '/FR/11/75/E:750100125/', ?, 'now', 1)`);
    for (const [v, id, type, a] of [[1, 'r1', 'REA_MED', 4], [2, 'r2', 'REA_MED', 3], [3, 'r3', 'USC_MED', 1]] as const) {
      log.run(v, `750100125:${type}`, JSON.stringify({ id, finess: '750100125', unitType: type, available: a, version: v }));
    }
    db.exec(`INSERT INTO unit_current (finess, unit_type, report_id, version, scope_path) VALUES
      ('750100125', 'REA_MED', 'r2', 2, '/FR/11/75/E:750100125/'), ('750100125', 'USC_MED', 'r3', 3, '/FR/11/75/E:750100125/')`);

    migrate(db, SERVER_MIGRATIONS.slice(0, 9));
    expect(db.prepare('SELECT id, unit_id, unit_name, at_known FROM unit_reports ORDER BY id').all()).toEqual([
      { id: 'r1', unit_id: 'REA_MED', unit_name: null, at_known: 1 },
      { id: 'r2', unit_id: 'REA_MED', unit_name: null, at_known: 1 },
      { id: 'r3', unit_id: 'USC_MED', unit_name: null, at_known: 1 },
    ]);
    // The same current reports, now keyed by unit and carrying their observation time.
    expect(db.prepare('SELECT finess, unit_id, report_id, version, at FROM unit_current ORDER BY unit_id').all()).toEqual([
      { finess: '750100125', unit_id: 'REA_MED', report_id: 'r2', version: 2, at: '2020-03-24T12:00:00+01:00' },
      { finess: '750100125', unit_id: 'USC_MED', report_id: 'r3', version: 3, at: '2020-03-24T09:00:00.000Z' },
    ]);
    // What a pull serves (the current rows) names its unit; the superseded row is left as it was.
    const payloads = db.prepare('SELECT version, payload FROM change_log ORDER BY version').all() as Array<{ version: number; payload: string }>;
    expect(payloads.map((p) => [p.version, JSON.parse(p.payload)])).toEqual([
      [1, { id: 'r1', finess: '750100125', unitType: 'REA_MED', available: 4, version: 1 }],
      [2, { id: 'r2', finess: '750100125', unitType: 'REA_MED', available: 3, version: 2, unitId: 'REA_MED', unitName: null, atKnown: true }],
      [3, { id: 'r3', finess: '750100125', unitType: 'USC_MED', available: 1, version: 3, unitId: 'USC_MED', unitName: null, atKnown: true }],
    ]);
    // A second unit of a type now fits beside the first.
    db.exec(`INSERT INTO unit_current (finess, unit_id, report_id, version, scope_path, at) VALUES ('750100125', 'Babinski', 'r1', 4, '/FR/', 'now')`);
    expect(() => db.exec(`INSERT INTO unit_current (finess, unit_id, report_id, version, scope_path, at) VALUES ('750100125', 'Babinski', 'r1', 5, '/FR/', 'now')`)).toThrow(/UNIQUE|PRIMARY/);
  } finally {
    db.close();
    t.cleanup();
  }
});
