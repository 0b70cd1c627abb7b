/**
 * The scale bench's accounting: which sockets each write must poke (the server's own scope
 * rule, `visibleTo` of `sync-server/src/scope.ts`), which ones it did, how late, and what
 * is missing, duplicated or delivered out of scope. Pure: the workers' raw deliveries in,
 * figures out.
 */
import { sameBranch } from '../../common/territory';
import { visibleTo } from '../../sync-server/src/scope';
import { percentile } from './processes';
import type { WorkerDeliveries } from './scaleWorkers';

/** What the accounting needs of a workstation. */
export interface ScopedSocket {
  index: number;
  path: string;
  privatePath: string | null;
}

/** One write as the writer saw it. */
export interface WriteRecord {
  id: string;
  /** The territory path of the row it writes (what the change log scopes it to). */
  path: string;
  /** When it was pushed (cross-process clock, ms); null when it was not applied. */
  sentAt: number | null;
}

/** True when a row scoped to `rowPath` must reach this socket: Vigie's scope rule, including the private path. */
export function inScope(rowPath: string, s: ScopedSocket): boolean {
  // `visibleTo` also lets in the private path of the user's own territory; a socket without one (a PUI) sees its branch only.
  return s.privatePath === null ? sameBranch(rowPath, s.path) : visibleTo(rowPath, s.path);
}

/** The sockets each row path must reach, computed once per distinct path. */
export function expectationsFor(sockets: readonly ScopedSocket[]): (rowPath: string) => Int32Array {
  const byPath = new Map<string, ScopedSocket[]>();
  for (const s of sockets) {
    const key = `${s.path}\u0000${s.privatePath ?? ''}`;
    const list = byPath.get(key);
    if (list) list.push(s);
    else byPath.set(key, [s]);
  }
  const groups = [...byPath.values()];
  const cache = new Map<string, Int32Array>();
  return (rowPath) => {
    let hit = cache.get(rowPath);
    if (!hit) {
      const out: number[] = [];
      for (const g of groups) if (inScope(rowPath, g[0])) for (const s of g) out.push(s.index);
      hit = Int32Array.from(out);
      cache.set(rowPath, hit);
    }
    return hit;
  };
}

export interface ScaleAccount {
  writes: number;
  applied: number;
  /** Pokes the scope rule expects for the applied writes, to the sockets that were connected. */
  expected: number;
  /** Distinct (write, socket) pokes received that were expected. */
  received: number;
  missing: number;
  /** Pokes of a write to a socket outside its scope (must be 0). */
  outOfScope: number;
  /** The same write received twice by one socket. */
  duplicates: number;
  /** Push → poke, over every expected poke received (ms). */
  p50: number;
  p99: number;
  max: number;
  /** Mean number of sockets one write must reach. */
  meanFanout: number;
}

/**
 * Matches the workers' deliveries against the writes. `absent`: sockets that never
 * connected (nothing is expected of them; a socket lost during the run stays expected).
 */
export function account(
  writes: readonly WriteRecord[],
  sockets: readonly ScopedSocket[],
  deliveries: readonly WorkerDeliveries[],
  absent: ReadonlySet<number> = new Set(),
): ScaleAccount {
  const expect = expectationsFor(sockets);
  const byIndex = new Map(sockets.map((s) => [s.index, s]));
  const writeNo = new Map<string, number>();
  writes.forEach((w, i) => writeNo.set(w.id, i));
  const stride = Math.max(1, ...sockets.map((s) => s.index + 1));
  const seen = new Set<number>();
  const latencies: number[] = [];
  let outOfScope = 0;
  let duplicates = 0;
  for (const d of deliveries) {
    const local = d.ids.map((id) => writeNo.get(id) ?? -1);
    for (let k = 0; k < d.socket.length; k++) {
      const w = local[d.write[k]];
      if (w < 0) continue; // a row this bench did not write (none expected after set-up)
      const write = writes[w];
      const socket = byIndex.get(d.socket[k]);
      if (!socket || !inScope(write.path, socket)) {
        outOfScope++;
        continue;
      }
      const key = w * stride + d.socket[k];
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      if (write.sentAt !== null) latencies.push(d.at[k] - write.sentAt);
    }
  }
  let expected = 0;
  let received = 0;
  let applied = 0;
  for (let w = 0; w < writes.length; w++) {
    if (writes[w].sentAt === null) continue;
    applied++;
    for (const s of expect(writes[w].path)) {
      if (absent.has(s)) continue;
      expected++;
      if (seen.has(w * stride + s)) received++;
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    writes: writes.length,
    applied,
    expected,
    received,
    missing: expected - received,
    outOfScope,
    duplicates,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    meanFanout: applied ? expected / applied : 0,
  };
}
