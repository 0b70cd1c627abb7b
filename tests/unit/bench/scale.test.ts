/**
 * The scale bench's machinery (`npm run bench -- scale`): its scope expectation is the
 * server's rule, its accounting counts what is missing, duplicated or out of scope, and a
 * small real run (50 workstations on one SQLite node, worker processes, real handshakes and
 * pokes) gets every expected poke, which each socket's own pull confirms. No timing is
 * asserted.
 */
import { describe, expect, it } from 'vitest';
import { runScale } from '../../../bench/scale';
import { account, expectationsFor, inScope, type ScopedSocket, type WriteRecord } from '../../../bench/support/scaleAccounting';
import { planWorkstations } from '../../../bench/support/scaleAccounts';
import { planWrites } from '../../../bench/support/scaleWrites';
import type { WorkerDeliveries } from '../../../bench/support/scaleWorkers';
import { loadServerTerritories } from '../../../sync-server/src/referential';
import { roomsForChange, roomsForSocket } from '../../../sync-server/src/scope';

const territories = loadServerTerritories();

describe('scale bench: scope expectation', () => {
  it('expects a poke exactly where the server emits one (a row room shared with a socket room)', () => {
    const workstations = planWorkstations(territories, 400, 'test');
    const writes = planWrites(territories, workstations, 300);
    let agreed = 0;
    for (const w of writes.slice(0, 60)) {
      const rooms = new Set(roomsForChange(w.path));
      for (const s of workstations) {
        const emitted = roomsForSocket(s.path, s.privatePath).some((r) => rooms.has(r));
        expect(inScope(w.path, s), `${w.path} → ${s.path}`).toBe(emitted);
        if (emitted) agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(0);
  });

  it('plans every role the national service has, each workstation its own client id', () => {
    const workstations = planWorkstations(territories, 1000, 'test');
    const kinds = new Set(workstations.map((w) => w.role.split(':')[0]));
    expect([...kinds].sort()).toEqual(['ars', 'establishment', 'national', 'samu']);
    expect(new Set(workstations.map((w) => w.clientId)).size).toBe(1000);
  });
});

describe('scale bench: accounting', () => {
  const sockets: ScopedSocket[] = [
    { index: 0, path: '/FR/', privatePath: '/~FR/' },
    { index: 1, path: '/FR/R:11/D:75/', privatePath: '/~D:75/' },
    { index: 2, path: '/FR/R:53/D:29/', privatePath: '/~D:29/' },
  ];
  const writes: WriteRecord[] = [
    { id: 'a', path: '/FR/R:11/D:75/', sentAt: 1000 },
    { id: 'b', path: '/FR/', sentAt: 2000 },
  ];
  const deliveries = (rows: Array<[string, number, number]>): WorkerDeliveries => {
    const ids = [...new Set(rows.map((r) => r[0]))];
    return {
      ids,
      write: Int32Array.from(rows.map((r) => ids.indexOf(r[0]))),
      socket: Int32Array.from(rows.map((r) => r[1])),
      at: Float64Array.from(rows.map((r) => r[2])),
    };
  };

  it('expects each write at the sockets of its branch only', () => {
    const expectOf = expectationsFor(sockets);
    expect([...expectOf('/FR/R:11/D:75/')]).toEqual([0, 1]);
    expect([...expectOf('/FR/')]).toEqual([0, 1, 2]);
  });

  it('counts what arrived, what is missing, what came twice and what came out of scope', () => {
    const a = account(writes, sockets, [
      deliveries([
        ['a', 0, 1010],
        ['a', 1, 1020],
        ['a', 1, 1030],
        ['a', 2, 1040],
        ['b', 0, 2005],
      ]),
    ]);
    expect(a).toMatchObject({ applied: 2, expected: 5, received: 3, missing: 2, duplicates: 1, outOfScope: 1 });
    expect(a.max).toBe(20);
  });

  it('expects nothing of a socket that never connected, and nothing of a write that was not applied', () => {
    const a = account([...writes.slice(0, 1), { id: 'c', path: '/FR/', sentAt: null }], sockets, [deliveries([['a', 0, 1001]])], new Set([1]));
    expect(a).toMatchObject({ applied: 1, expected: 1, received: 1, missing: 0 });
  });
});

describe('scale bench: a small real run', () => {
  it(
    'gets every expected poke to 50 workstations on one node, none twice, none out of scope, and each socket pulls the same rows',
    async () => {
      const result = await runScale({ clients: 50, seconds: 2, rate: 20, writers: 2, perWorker: 25, configs: ['sqlite'], verifyWithPull: true }, () => undefined);
      const run = result.configs[0];
      if (!('account' in run)) throw new Error(`no measure: ${JSON.stringify(run)}`);
      expect(run.connected).toBe(50);
      expect(run.rejected).toBe(0);
      expect(run.disconnects).toBe(0);
      expect(run.account.applied).toBe(40);
      expect(run.account.expected).toBeGreaterThan(40);
      expect(run.account).toMatchObject({ received: run.account.expected, missing: 0, duplicates: 0, outOfScope: 0 });
      // The server's pull (its SQL scope filter) gives each socket the rows the bench expected to poke it with
      // (every message; each unit once, by its latest report).
      expect(run.pullCheck).toMatchObject({ sockets: 50, mismatched: 0 });
      expect(run.pullCheck?.rows).toBeGreaterThan(0);
    },
    300_000,
  );
});
