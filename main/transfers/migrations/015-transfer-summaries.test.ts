import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

const PITIE = '750100125';
const BICHAT = '750100232';

function transfer(id: string, summary: string, destFiness: string | null) {
  return {
    id, number: `TR-${id}`, patient: { ageBand: '61-75', sex: 'M', need: 'rea_adulte' }, summary,
    originFiness: PITIE, originUnitId: null, samu: 'D:75', urgency: 'immediate', transport: null,
    destFiness, destUnitId: destFiness ? 'REA_MED' : null, destUnitType: null, state: destFiness ? 'propose' : 'demande',
    reason: null, holdId: null, steps: [], createdAt: '2020-03-27T08:00:00.000Z', createdBy: 'Régulateur 75', updatedAt: '2020-03-27T08:00:00.000Z', version: 0,
  };
}

it('migration 15 takes every summary out of the cached transfers; a pending request keeps its own, as a pending summary of the same mutation', () => {
  const t = tempDir('m015');
  const { db: old, file } = cacheAt(14, t.dir);
  // A transfer the server sent (this cache cannot tell whether its user is a party) and one requested offline, not yet sent.
  const server = { ...transfer('t1', 'Texte reçu du serveur', BICHAT), version: 7 };
  const pending = transfer('t2', 'Texte écrit hors ligne', null);
  const put = (table: string, row: ReturnType<typeof transfer>, mutation?: number) =>
    old
      .prepare(`INSERT INTO ${table} (${mutation ? 'mutation_id, ' : ''}id, state, origin_finess, dest_finess, data, version) VALUES (${mutation ? `${mutation}, ` : ''}?, ?, ?, ?, ?, ?)`)
      .run(row.id, row.state, row.originFiness, row.destFiness, JSON.stringify(row), row.version);
  put('transfers', server);
  old.prepare(`INSERT INTO outbox (mutation_id, name, args, at) VALUES (3, 'transfer.create', '{}', '2020-03-27T08:00:00.000Z')`).run();
  put('ov_transfers', pending, 3);
  old.close();

  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    const rows = [
      ...(store.db.prepare(`SELECT data FROM transfers`).all() as Array<{ data: string }>),
      ...(store.db.prepare(`SELECT data FROM ov_transfers`).all() as Array<{ data: string }>),
    ];
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(JSON.parse(r.data)).not.toHaveProperty('summary');
    // Everything else of a transfer is as it was.
    expect(store.boards.transfers.listTransfers().map((x) => x.transfer)).toContainEqual(Object.fromEntries(Object.entries(server).filter(([k]) => k !== 'summary')));
    expect(store.db.prepare(`SELECT count(*) AS n FROM transfer_summaries`).get()).toEqual({ n: 0 });
    expect(store.db.prepare(`SELECT mutation_id FROM ov_transfer_summaries`).all()).toEqual([{ mutation_id: 3 }]);
    expect([...store.boards.transfers.summaries().values()]).toEqual([
      { transferId: 't2', summary: 'Texte écrit hors ligne', parties: [`E:${PITIE}`, 'D:75'], updatedAt: '2020-03-27T08:00:00.000Z', updatedBy: 'Régulateur 75', version: 0 },
    ]);
  } finally {
    store.close();
    t.cleanup();
  }
});
