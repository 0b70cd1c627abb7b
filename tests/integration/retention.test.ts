/**
 * The clinical summaries' retention between real workstations (main-process services, their
 * own cache files) and a real sync server: once the server erases a finished transfer's
 * summary, each connected party's cache drops the text on the poke, the detail says why, and
 * no row of the cache file holds the text any more; an unfinished transfer's text stays.
 * (Delay 0 here: the purge itself, with its clock, is tested in sync-server/src/transfers/retention.test.ts.)
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
const FINISHED = 'Détresse respiratoire, VNI — témoin-terminé';
const ONGOING = 'Hémorragie méningée stable — témoin-en-cours';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu: TestClient;
let bichat: TestClient;

beforeAll(async () => {
  tmp = tempDir('retention');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite'), summaryRetentionDays: 0 });
  samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  bichat = await loginClient(join(tmp.dir, 'bichat'), server.url, 'bichat');
  await waitSynced(samu);
  await waitSynced(bichat);
});
afterAll(async () => {
  for (const c of [samu, bichat]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

/** The tables of the client's cache file with a row whose text contains `needle`. */
function tablesHolding(c: TestClient, needle: string): string[] {
  const files = readdirSync(join(c.dataDir, 'caches')).filter((f) => f.endsWith('.sqlite'));
  expect(files).toHaveLength(1);
  const db = new Database(join(c.dataDir, 'caches', files[0]), { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`).all();
    return tables.filter((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all()).includes(needle)).map((t) => t.name);
  } finally {
    db.close();
  }
}

const patient = { ageBand: '41-60', sex: 'F', need: 'rea_adulte', covid: 'negatif', ventilated: false, ecmo: false, isolation: false, weightClass: null } as const;

describe('a finished transfer’s summary past its retention', () => {
  let finished = '';
  let ongoing = '';

  it('reaches both parties first, text in their caches', async () => {
    finished = (await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'immediate', summary: FINISHED })).id as string;
    ongoing = (await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'programmee', summary: ONGOING })).id as string;
    await samu.call('transfers.step', { id: finished, step: 'propose', destFiness: BICHAT, destUnitId: 'REA_MED' });
    await waitSynced(samu);
    await waitFor(async () => (await bichat.call('transfers.list', {})).find((x) => x.id === finished && x.summary === FINISHED), 'the summary at Bichat');
    await samu.call('transfers.step', { id: finished, step: 'cancel', reason: 'patient stabilisé sur place' });
    await waitSynced(samu);
    await waitFor(async () => (await bichat.call('transfers.list', {})).find((x) => x.id === finished && x.state === 'annule'), 'the cancellation at Bichat');
    expect(tablesHolding(samu, 'témoin-terminé')).toContain('transfer_summaries');
    expect(tablesHolding(bichat, 'témoin-terminé')).toEqual(['transfer_summaries']);
  });

  it('leaves no text in either party’s cache once the server purged it, and the detail says why', async () => {
    expect(await server.app.purgeSummaries()).toContain(finished);
    for (const [name, c] of [['samu75', samu], ['bichat', bichat]] as const) {
      const view = await waitFor(async () => (await c.call('transfers.list', {})).find((x) => x.id === finished && x.summaryPurgedAt !== null), `the tombstone at ${name}`);
      expect(view, name).toMatchObject({ summary: '', summaryParty: true, summaryPurgedAt: expect.any(String) });
      // The request's own mutation (its args carry the text) leaves the outbox once the cursor passes it: the end of that sync.
      await waitFor(() => tablesHolding(c, 'témoin-terminé').length === 0, `no text left in ${name}'s cache`, 5_000);
    }
    // The SAMU's unfinished transfer keeps its text, in the view and in the cache.
    expect((await samu.call('transfers.list', {})).find((x) => x.id === ongoing)).toMatchObject({ summary: ONGOING, summaryPurgedAt: null });
    expect(tablesHolding(samu, 'témoin-en-cours')).toContain('transfer_summaries');
  });
});
