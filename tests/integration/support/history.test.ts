/**
 * The history checks find what they are meant to find: each fault is planted in a small
 * server file (the real change-log and ledger tables, written by hand) or in a history.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServerTerritories } from '../../../sync-server/src/referential';
import { tempDir } from '../harness';
import { checkExactlyOnce, checkOneOrder, checkVisibility, expectedVersions, History, readServerLog, type Invocation, type ServerLog } from './history';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A server file with the tables the checks read; `rows`: change-log rows (version, entity, id, path, row version). */
async function serverFile(rows: Array<[number, string, string, string, number?]>, ledger: Array<[string, number, 'applied' | 'rejected']>, messages: string[], history?: History): Promise<ServerLog> {
  const tmp = tempDir('history');
  const path = join(tmp.dir, 's.sqlite');
  const db = new Database(path);
  db.exec(`CREATE TABLE change_log (version INTEGER, entity TEXT, entity_id TEXT, scope_path TEXT, payload TEXT);
    CREATE TABLE mutation_results (client_id TEXT, mutation_id INTEGER, status TEXT, version INTEGER);
    CREATE TABLE messages (id TEXT);
    CREATE TABLE unit_current (version INTEGER, scope_path TEXT);
    CREATE TABLE stock_current (version INTEGER, scope_path TEXT);`);
  for (const [v, e, id, p, rv] of rows) db.prepare('INSERT INTO change_log VALUES (?, ?, ?, ?, ?)').run(v, e, id, p, JSON.stringify({ version: rv ?? v }));
  for (const [c, m, s] of ledger) db.prepare('INSERT INTO mutation_results VALUES (?, ?, ?, NULL)').run(c, m, s);
  for (const id of messages) db.prepare('INSERT INTO messages VALUES (?)').run(id);
  db.close();
  cleanups.push(tmp.cleanup);
  return readServerLog(path, history);
}

const post = (client: string, mutationId: number, id: string, outcome: Invocation['outcome']): Invocation => ({
  client,
  mutationId,
  name: 'messages.post',
  creates: [{ table: 'messages', column: 'id', value: id, entity: 'message' }],
  outcome,
});

describe('history checks', () => {
  it('pass a clean history: one applied, one refused, one unknown that was never applied', async () => {
    const h = new History();
    h.invoke(post('a', 1, 'm1', 'unknown'));
    h.invoke(post('a', 1, 'm1', 'ok'));
    h.invoke(post('a', 2, 'm2', 'refused'));
    h.invoke(post('b', 1, 'm3', 'unknown'));
    const log = await serverFile([[1, 'message', 'm1', '/FR/R:11/D:75/']], [['a', 1, 'applied'], ['a', 2, 'rejected']], ['m1'], h);
    expect(checkExactlyOnce(h, log)).toEqual([]);
  });

  it('find an acknowledged mutation missing, a refused one applied, a duplicate, and an unknown against its ledger', async () => {
    const h = new History();
    h.invoke(post('a', 1, 'm1', 'ok'));
    h.invoke(post('a', 2, 'm2', 'refused'));
    h.invoke(post('a', 3, 'm3', 'ok'));
    h.invoke(post('b', 1, 'm4', 'unknown'));
    const log = await serverFile(
      [
        [1, 'message', 'm2', '/FR/'],
        [2, 'message', 'm3', '/FR/'],
        [3, 'message', 'm3', '/FR/'],
      ],
      [['a', 2, 'applied'], ['a', 3, 'applied'], ['b', 1, 'applied']],
      ['m2', 'm3'],
      h,
    );
    const faults = checkExactlyOnce(h, log);
    expect(faults).toHaveLength(6);
    expect(faults.join('\n')).toMatch(/a#1 .*acknowledged, ledger says nothing/);
    expect(faults.join('\n')).toMatch(/a#1 .*messages.id=m1 present 0×.*expected 1/);
    expect(faults.join('\n')).toMatch(/a#2 .*refused, ledger says applied/);
    expect(faults.join('\n')).toMatch(/a#3 .*2 change-log versions/);
    expect(faults.join('\n')).toMatch(/b#1 .*ledger applied but messages\.id=m4 present 0×/);
  });

  it('find a row state received after a newer one, a pull going back, and one version naming two rows', async () => {
    const log = await serverFile(
      [
        [1, 'message', 'm1', '/FR/'],
        [1, 'message', 'm2', '/FR/'],
      ],
      [],
      [],
    );
    const h = new History();
    h.received('c', { kind: 'pull', versions: [1, 2], keys: ['transfer:t', 'transfer:u'], states: [1, 2], from: 0 });
    h.received('c', { kind: 'pull', versions: [2], keys: ['transfer:u'], states: [2], from: 2 });
    h.received('c', { kind: 'poke', versions: [5], keys: ['transfer:t'], states: [6] });
    h.received('c', { kind: 'poke', versions: [4], keys: ['transfer:t'], states: [4] });
    // Copies of one state in either order: not a fault.
    h.received('c', { kind: 'poke', versions: [8], keys: ['transfer:v'], states: [8] });
    h.received('c', { kind: 'poke', versions: [7], keys: ['transfer:v'], states: [8] });
    // Pokes not in order as a whole (PostgreSQL, several nodes): two pushes' pokes may cross,
    // the cache keeps the newer state; pulls and versions are still checked.
    const loose = checkOneOrder(h, log);
    expect(loose).toHaveLength(3);
    expect(loose.join('\n')).not.toMatch(/poke #3/);
    const faults = checkOneOrder(h, log, { pokesInOrder: true });
    expect(faults).toHaveLength(6);
    expect(faults.join('\n')).toMatch(/poke #3 went back \(5 then 4\)/);
    expect(faults.join('\n')).toMatch(/version 1 names 2 different rows/);
    expect(faults.join('\n')).toMatch(/pull #1 from cursor 2 brought version 2/);
    expect(faults.join('\n')).toMatch(/poke #3 brought transfer:t in its state 4 after its state 6/);
  });

  it('find a row missing from a cache in scope and a row held out of scope, by the server room rule', async () => {
    const log = await serverFile(
      [
        [1, 'message', 'paris', '/FR/R:11/D:75/'],
        [2, 'message', 'brest', '/FR/R:53/D:29/'],
        [3, 'message', 'national', '/FR/'],
        [4, 'transferSummary', 't', '/~E:750100125/', 5],
        [5, 'transferSummary', 't', '/~D:75/', 5],
      ],
      [],
      [],
    );
    const territories = loadServerTerritories();
    const pitie = expectedVersions(log, 'establishment:750100125', territories, ['message', 'transferSummary']);
    expect([...pitie.get('message')!].sort()).toEqual([1, 3]);
    expect([...pitie.get('transferSummary')!]).toEqual([5]);
    // The pharmacy shares the establishment's territory but not what is private to it.
    expect([...expectedVersions(log, 'pui:750100125', territories, ['transferSummary']).get('transferSummary')!]).toEqual([]);
    const cache = new Map([
      ['message', new Set([1, 2])],
      ['transferSummary', new Set([5])],
    ]);
    expect(checkVisibility('pitie', cache, pitie)).toEqual(['pitie: message missing 1 row(s) in scope (versions 3)', 'pitie: message holds 1 row(s) not expected (versions 2)']);
  });
});
