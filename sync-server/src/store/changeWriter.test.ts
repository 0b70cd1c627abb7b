/**
 * The engine with a board it has never heard of: a probe board registered beside the real
 * ones, whose rows two branches of the territory must see (as a transfer between two
 * regions will). Nothing of the engine names it.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineBoard } from '../../../common/engine/board';
import { defineEntity } from '../../../common/engine/entity';
import { MutationRejected, mutatorsUsing } from '../../../common/engine/mutation';
import type { Change } from '../../../common/protocol';
import { defineServerBoard, type ServerBoard } from '../board';
import { serverBoards, SERVER_MIGRATIONS } from '../boards';
import { addIdentity, tempDir, territories } from '../testing/fixtures';
import type { ChangeWriter } from './changeWriter';
import { SqliteServerStore } from './sqliteStore';

interface Probe {
  id: string;
  from: string;
  to: string;
  version: number;
}
interface ProbeTx {
  put(p: Probe): void;
}
const probeEntity = defineEntity<Probe>()('probe', { key: (p) => p.id, scope: (p) => [`E:${p.from}`, `E:${p.to}`], pull: 'log' });
const define = mutatorsUsing<{ probe: ProbeTx }>('probe');
/** How many times the probe's mutator ran (a push run again with savepoints runs it again). */
let probeRuns = 0;
const probeBoard = defineBoard({
  name: 'probe',
  entities: [probeEntity] as const,
  mutators: {
    'probe.put': define(z.strictObject({ id: z.string(), from: z.string(), to: z.string(), fail: z.boolean().optional(), refuseFirst: z.boolean().optional() }), ({ probe }, args) => {
      probeRuns++;
      if (args.refuseFirst) throw new MutationRejected('refusé avant écriture');
      probe.put({ id: args.id, from: args.from, to: args.to, version: 0 });
      if (args.fail) throw new MutationRejected('refusé après écriture');
    }),
  },
  calls: {},
});
const probeServer: ServerBoard<null> = defineServerBoard({
  board: probeBoard,
  migrations: [{ version: SERVER_MIGRATIONS.length + 1, name: 'probe', up: (db: Database.Database) => db.exec('CREATE TABLE probes (id TEXT PRIMARY KEY, version INTEGER NOT NULL)') }],
  sqlite: {
    slice: (db: Database.Database, writer: ChangeWriter): ProbeTx => {
      const put = db.prepare('INSERT INTO probes (id, version) VALUES (?, ?)');
      return { put: (p) => put.run(p.id, writer.stamp(probeEntity, p).row.version) };
    },
    store: () => null,
  },
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = new SqliteServerStore(join(t.dir, 'server.sqlite'), territories(), [...serverBoards, probeServer]);
  cleanups.push(() => store.close());
  return store;
}

async function pullAll(store: SqliteServerStore, path: string): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = 0, more = true; more; ) {
    const page = await store.pull(path, cursor, 100);
    out.push(...page.changes);
    cursor = page.cursor;
    more = page.more;
  }
  return out;
}

describe('the engine with a registered board it does not name', () => {
  it('logs a row two branches see once per branch, on consecutive versions; each branch pulls it, another does not', async () => {
    const store = openStore();
    const national = await addIdentity(store, 'nat', 'national');
    const put = { clientId: 'client-nat-1', mutationId: 1, name: 'probe.put', args: { id: 'p1', from: '750100125', to: '290000058' }, at: new Date().toISOString() };
    const outcome = await store.applyMutations({ clientId: 'client-nat-1', actor: national.actor, mutations: [put], now: new Date() });
    expect(outcome.results).toEqual([{ mutationId: 1, status: 'applied', version: 2 }]);
    expect(outcome.changes.map((c) => [c.change.version, c.scopePath])).toEqual([
      [1, '/FR/R:11/D:75/E:750100125/'],
      [2, '/FR/R:53/D:29/E:290000058/'],
    ]);
    const data = { id: 'p1', from: '750100125', to: '290000058', version: 2 };
    expect(await pullAll(store, '/FR/R:11/D:75/')).toEqual([{ version: 1, entity: 'probe', data }]);
    expect(await pullAll(store, '/FR/R:53/')).toEqual([{ version: 2, entity: 'probe', data }]);
    expect(await pullAll(store, '/FR/R:84/')).toEqual([]);
    expect((await pullAll(store, '/FR/')).map((c) => c.version)).toEqual([1, 2]);
    expect(store.db.prepare('SELECT id, version FROM probes').all()).toEqual([{ id: 'p1', version: 2 }]);
  });

  it('forgets every version of a refused mutation, so the next one continues without a gap', async () => {
    const store = openStore();
    const national = await addIdentity(store, 'nat', 'national');
    const m = (mutationId: number, args: Record<string, unknown>) => ({ clientId: 'client-nat-1', mutationId, name: 'probe.put', args, at: new Date().toISOString() });
    const outcome = await store.applyMutations({
      clientId: 'client-nat-1',
      actor: national.actor,
      mutations: [m(1, { id: 'a', from: '750100125', to: '290000058', fail: true }), m(2, { id: 'b', from: '750100125', to: '750100125' })],
      now: new Date(),
    });
    expect(outcome.results).toEqual([
      { mutationId: 1, status: 'rejected', reason: 'refusé après écriture' },
      { mutationId: 2, status: 'applied', version: 1 },
    ]);
    // One territory twice is one branch: logged once.
    expect(store.db.prepare('SELECT version, entity_id FROM change_log').all()).toEqual([{ version: 1, entity_id: 'b' }]);
  });

  it('runs a push that promises to refuse before writing without savepoints, and again with them when a mutation broke the promise: same outcome', async () => {
    const m = (mutationId: number, args: Record<string, unknown>) => ({ clientId: 'client-nat-1', mutationId, name: 'probe.put', args, at: new Date().toISOString() });
    const push = async (rejectsBeforeWriting: boolean, args: Array<Record<string, unknown>>) => {
      const store = openStore();
      const national = await addIdentity(store, 'nat', 'national');
      probeRuns = 0;
      const mutations = args.map((a, i) => m(i + 1, a));
      const outcome = await store.applyMutations({ clientId: 'client-nat-1', actor: national.actor, mutations, now: new Date(), rejectsBeforeWriting });
      const rows = {
        log: store.db.prepare('SELECT version, entity_id FROM change_log ORDER BY version').all(),
        probes: store.db.prepare('SELECT id, version FROM probes ORDER BY id').all(),
        ledger: store.db.prepare('SELECT mutation_id, status, reason, version FROM mutation_results ORDER BY mutation_id').all(),
        last: await store.lastMutationId('client-nat-1'),
      };
      return { outcome, rows, runs: probeRuns };
    };
    const a = { id: 'a', from: '750100125', to: '750100125' };
    const b = { id: 'b', from: '750100125', to: '290000058' };
    // Refusals before any write: one pass, the outcome of the guarded push.
    const clean = [a, { id: 'x', from: '750100125', to: '750100125', refuseFirst: true }, b];
    const fast = await push(true, clean);
    const guarded = await push(false, clean);
    expect(fast.runs).toBe(3);
    expect(fast.outcome.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect({ ...fast.outcome, changes: fast.outcome.changes.map((c) => c.change) }).toEqual({ ...guarded.outcome, changes: guarded.outcome.changes.map((c) => c.change) });
    expect(fast.rows).toEqual(guarded.rows);
    // A refusal after a write: the first pass is rolled back whole, the second keeps nothing of the refused one.
    const dirty = [a, { id: 'y', from: '750100125', to: '290000058', fail: true }, b];
    const again = await push(true, dirty);
    const reference = await push(false, dirty);
    expect(again.runs).toBe(2 + 3);
    expect(again.outcome.results).toEqual(reference.outcome.results);
    expect(again.outcome.results[1]).toEqual({ mutationId: 2, status: 'rejected', reason: 'refusé après écriture' });
    expect(again.rows).toEqual(reference.rows);
    expect(again.rows.probes).toEqual([
      { id: 'a', version: 1 },
      { id: 'b', version: 3 },
    ]);
  });

  it('keeps what came before an internal failure in a push that promises to refuse before writing, as with savepoints', async () => {
    const store = openStore();
    const national = await addIdentity(store, 'nat', 'national');
    // A real SQLite failure, not a mock: the trigger aborts the insert of one probe, after its change-log row was written.
    store.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON probes WHEN NEW.id = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const m = (mutationId: number, id: string) => ({ clientId: 'client-nat-1', mutationId, name: 'probe.put', args: { id, from: '750100125', to: '750100125' }, at: new Date().toISOString() });
    const outcome = await store.applyMutations({
      clientId: 'client-nat-1',
      actor: national.actor,
      mutations: [m(1, 'a'), m(2, 'boom'), m(3, 'c')],
      now: new Date(),
      rejectsBeforeWriting: true,
    });
    expect(outcome.results).toEqual([{ mutationId: 1, status: 'applied', version: 1 }]);
    expect(outcome.stop?.code).toBe('internal');
    expect(store.db.prepare('SELECT version, entity_id FROM change_log').all()).toEqual([{ version: 1, entity_id: 'a' }]);
    expect(store.db.prepare('SELECT id FROM probes').pluck().all()).toEqual(['a']);
    expect(await store.lastMutationId('client-nat-1')).toBe(1);
  });
});
