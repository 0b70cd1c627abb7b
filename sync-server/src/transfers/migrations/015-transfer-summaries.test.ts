import { join } from 'node:path';
import { expect, it } from 'vitest';
import { serverBoards, SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { SqliteServerStore } from '../../store/sqliteStore';
import { serverDbAt, tempDir, territories } from '../../testing/fixtures';

const PITIE = '750100125';
const BREST = '290004324';
const SUMMARY = 'SDRA sévère, décubitus ventral, FiO2 80 %';

it('migration 15 moves each clinical summary out of its transfer, to its parties only, and out of every logged transfer row', async () => {
  const t = tempDir();
  const { db, file } = serverDbAt(14, t.dir);
  try {
    // A transfer from Pitié (Paris) proposed to Brest (Finistère), logged on both branches, and one without a summary.
    const transfer = {
      id: 't1', number: 'TR-T1', patient: { ageBand: '61-75', sex: 'M', need: 'rea_adulte' }, summary: SUMMARY,
      originFiness: PITIE, originUnitId: null, samu: 'D:75', urgency: 'immediate', transport: null,
      destFiness: BREST, destUnitId: 'REA_MED', destUnitType: 'REA_MED', state: 'propose', reason: null, holdId: null,
      steps: [], createdAt: '2020-03-27T08:00:00.000Z', createdBy: 'Régulateur 75', updatedAt: '2020-03-27T08:10:00.000Z', version: 3,
    };
    const bare = { ...transfer, id: 't2', summary: '', destFiness: null, version: 4 };
    const log = db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, 'transfer', ?, ?, ?, '2020-03-27T08:00:00.000Z', 0)`);
    log.run(1, 't1', `/FR/R:11/D:75/E:${PITIE}/`, JSON.stringify({ ...transfer, state: 'demande', destFiness: null, version: 1 }));
    log.run(2, 't1', `/FR/R:11/D:75/E:${PITIE}/`, JSON.stringify(transfer));
    log.run(3, 't1', `/FR/R:53/D:29/E:${BREST}/`, JSON.stringify(transfer));
    log.run(4, 't2', `/FR/R:11/D:75/E:${PITIE}/`, JSON.stringify(bare));
    const put = db.prepare(`INSERT INTO transfers (id, state, origin_finess, dest_finess, data, version, scope_path) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    put.run('t1', 'propose', PITIE, BREST, JSON.stringify(transfer), 3, `/FR/R:11/D:75/E:${PITIE}/`);
    put.run('t2', 'demande', PITIE, null, JSON.stringify(bare), 4, `/FR/R:11/D:75/E:${PITIE}/`);

    migrate(db, SERVER_MIGRATIONS.slice(0, 15));

    const summaries = db.prepare(`SELECT transfer_id, data, version FROM transfer_summaries`).all() as Array<{ transfer_id: string; data: string; version: number }>;
    expect(summaries).toHaveLength(1);
    expect(JSON.parse(summaries[0].data)).toEqual({
      transferId: 't1', summary: SUMMARY, parties: [`E:${PITIE}`, 'D:75', `E:${BREST}`, 'D:29'],
      updatedAt: '2020-03-27T08:00:00.000Z', updatedBy: 'Régulateur 75', version: 8,
    });
    const logged = db.prepare(`SELECT version, entity, scope_path FROM change_log WHERE version > 4 ORDER BY version`).all();
    expect(logged).toEqual([
      { version: 5, entity: 'transferSummary', scope_path: `/~E:${PITIE}/` },
      { version: 6, entity: 'transferSummary', scope_path: '/~D:75/' },
      { version: 7, entity: 'transferSummary', scope_path: `/~E:${BREST}/` },
      { version: 8, entity: 'transferSummary', scope_path: '/~D:29/' },
    ]);
    // The text is nowhere else: not in a transfer, not in a logged transfer row; the rest of each row is intact.
    const transfers = db.prepare(`SELECT data FROM transfers ORDER BY id`).all() as Array<{ data: string }>;
    for (const r of transfers) expect(r.data).not.toContain('"summary"');
    expect(JSON.parse(transfers[0].data)).toEqual(Object.fromEntries(Object.entries(transfer).filter(([k]) => k !== 'summary')));
    const rows = db.prepare(`SELECT entity, payload FROM change_log`).all() as Array<{ entity: string; payload: string }>;
    expect(rows.filter((r) => r.payload.includes(SUMMARY)).map((r) => r.entity)).toEqual(['transferSummary', 'transferSummary', 'transferSummary', 'transferSummary']);
    expect(rows.filter((r) => r.entity === 'transfer' && r.payload.includes('"summary"'))).toEqual([]);
  } finally {
    db.close();
  }
  // Through the store: the parties pull it, the national cell and the ARS do not.
  const store = new SqliteServerStore(file, territories(), serverBoards);
  try {
    const pulled = async (path: string) => JSON.stringify((await store.pull(path, 0, 100)).changes);
    expect(await pulled(`/FR/R:11/D:75/E:${PITIE}/`)).toContain(SUMMARY);
    expect(await pulled('/FR/R:53/D:29/')).toContain(SUMMARY);
    expect(await pulled('/FR/')).not.toContain(SUMMARY);
    expect(await pulled('/FR/R:11/')).not.toContain(SUMMARY);
    expect(await pulled('/FR/R:11/D:75/E:750100232/')).not.toContain(SUMMARY);
  } finally {
    await store.close();
    t.cleanup();
  }
});
