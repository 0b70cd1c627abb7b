import { describe, expect, it } from 'vitest';
import { roomsForSocket } from '../scope';
import type { ScopedChange } from '../store/types';
import type { Change, Poke } from '../../../common/protocol';
import { fanOut } from './fanout';

const PITIE = '/FR/R:11/D:75/E:750100125/';
const BICHAT = '/FR/R:11/D:75/E:750100232/';
const SAMU75 = '/FR/R:11/D:75/';

/** A change of row `id` at `version`, in the row's own state `state` (copies of one row carried per branch share it). */
function change(version: number, scopePath: string, id: string, state = version): ScopedChange {
  return { scopePath, change: { version, entity: 'transfer', data: { id, version: state } } as unknown as Change };
}

/** What a socket whose own path is `path` receives, poke by poke (Socket.IO sends one copy per emit to a socket in several of its rooms). */
function received(changes: ScopedChange[], path: string): Poke[] {
  const joined = new Set(roomsForSocket(path));
  const out: Poke[] = [];
  fanOut(changes, (rooms, poke) => {
    if (rooms.some((r) => joined.has(r))) out.push(poke);
  });
  return out;
}

describe('fanOut', () => {
  // A transfer between two establishments is carried once per branch; one push moves it twice.
  const push = [change(1, PITIE, 't', 2), change(2, BICHAT, 't', 2), change(3, PITIE, 't', 4), change(4, BICHAT, 't', 4), change(5, PITIE, 'm')];

  it('a socket that sees several scope paths receives every change in version order', () => {
    const versions = received(push, SAMU75).flatMap((p) => p.changes.map((c) => c.version));
    expect(versions).toEqual([1, 2, 3, 4, 5]);
  });

  it('a row carried in two branches never reaches a socket in an older state after a newer one', () => {
    const states = received(push, SAMU75).flatMap((p) => p.changes.map((c) => c.data.version));
    expect(states).toEqual([...states].sort((a, b) => a - b));
  });

  it('a socket of one branch receives its own changes only; consecutive changes of one path go in one poke', () => {
    expect(received(push, PITIE).map((p) => p.changes.map((c) => c.version))).toEqual([[1], [3], [5]]);
    expect(received([change(1, PITIE, 'a'), change(2, PITIE, 'b'), change(3, BICHAT, 'c')], SAMU75).map((p) => ({ version: p.version, n: p.changes.length }))).toEqual([
      { version: 2, n: 2 },
      { version: 3, n: 1 },
    ]);
  });
});
