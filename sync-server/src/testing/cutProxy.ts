/**
 * A cutting TCP relay for fault tests (issue 11, "network cuts"): it listens on 127.0.0.1
 * and relays each connection to a server url, byte for byte, until told to misbehave:
 *
 * - `cutAll()` / `cutOne()`: destroy relayed connections now (both sides see a reset or close);
 * - `dropToClient(ms)`: the server's bytes are thrown away for a while, then the connection
 *   is cut — a push reaches the server and is applied but its acknowledgement never
 *   reaches the client (the "lost ack" fault: the client must not apply it twice);
 * - `hold(ms)`: a black hole — nothing is relayed either way and new connections wait with
 *   no upstream; when the hold ends the connections are either resumed (the bytes arrive
 *   late: a push the client gave up on is applied after its timeout) or cut;
 * - `chaos({seed, …})`: a seeded random schedule of the above until stopped, each fault
 *   recorded so a run can be read back and replayed with the same seed.
 *
 * Not a test file; no part of the product uses it. Pure node:net, no dependency.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { seededRandom } from '../../../common/seeded';

/** The schedule's generator (mulberry32): the same seed gives the same schedule. */
export { seededRandom };


export type FaultKind = 'cutAll' | 'cutOne' | 'dropToClient' | 'hold';

/** One fault the proxy applied, for the run's record. */
export interface FaultRecord {
  /** Milliseconds since the proxy started. */
  at: number;
  kind: FaultKind;
  /** How long it lasted (drop and hold), 0 for a cut. */
  ms: number;
  /** Connections it touched. */
  connections: number;
  /** For a hold: whether the connections were resumed or cut at its end. */
  then?: 'resume' | 'cut';
}

export interface ChaosOptions {
  seed: number;
  /** Mean gap between two faults (exponential-ish, uniform in [0.25, 1.75] × mean). Default 1500 ms. */
  meanGapMs?: number;
  /** Longest drop or hold. Default 3000 ms. */
  maxFaultMs?: number;
  /** Relative weights of each fault. Default: cutAll 2, cutOne 4, dropToClient 2, hold 2. */
  weights?: Partial<Record<FaultKind, number>>;
}

export interface ProxyStats {
  accepted: number;
  /** Connections destroyed by a fault. */
  cut: number;
  /** Bytes from the server thrown away by `dropToClient` or a hold that ended in a cut. */
  droppedBytes: number;
  faults: FaultRecord[];
}

export interface CutProxy {
  /** `http://127.0.0.1:<port>`: give this to clients instead of the server's url. */
  readonly url: string;
  readonly port: number;
  /** Connections relayed right now (held ones included). */
  connections(): number;
  /** Destroys every connection now; returns how many. */
  cutAll(): number;
  /** Destroys one connection picked by `pick` (0 ≤ pick < 1; default the first); returns how many (0 or 1). */
  cutOne(pick?: number): number;
  /**
   * Throws the server's bytes away on every current connection (or the one picked) for `ms`,
   * then cuts those connections. The client's bytes still reach the server meanwhile.
   */
  dropToClient(ms: number, pick?: number): Promise<number>;
  /** Relays nothing for `ms` (new connections wait too), then resumes or cuts. */
  hold(ms: number, then?: 'resume' | 'cut'): Promise<number>;
  /** Starts a seeded random schedule of faults; resolves `stop()` when the current fault is over. */
  chaos(opts: ChaosOptions): { stop(): Promise<void> };
  readonly stats: ProxyStats;
  /** Cuts everything and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  /** Null while the connection waits for a hold to end. */
  server: Socket | null;
  /** The server's bytes are discarded. */
  dropping: boolean;
  closed: boolean;
}

/** Starts a relay to `target` (an `http://host:port` url) on 127.0.0.1 (`port` 0: a free one). */
export async function startCutProxy(target: string, opts: { port?: number } = {}): Promise<CutProxy> {
  const to = new URL(target);
  const toPort = Number(to.port || (to.protocol === 'https:' ? 443 : 80));
  const toHost = to.hostname;
  const started = Date.now();
  const pairs = new Set<Pair>();
  const stats: ProxyStats = { accepted: 0, cut: 0, droppedBytes: 0, faults: [] };
  let holding = false;
  let closed = false;

  const destroy = (p: Pair): void => {
    if (p.closed) return;
    p.closed = true;
    pairs.delete(p);
    p.client.destroy();
    p.server?.destroy();
  };

  const link = (p: Pair): void => {
    const server = connect({ host: toHost, port: toPort });
    p.server = server;
    server.setNoDelay(true);
    server.on('data', (chunk: Buffer) => {
      if (p.dropping) {
        stats.droppedBytes += chunk.length;
        return;
      }
      if (!p.client.write(chunk)) {
        server.pause();
        p.client.once('drain', () => server.resume());
      }
    });
    p.client.on('data', (chunk: Buffer) => {
      if (!server.write(chunk)) {
        p.client.pause();
        server.once('drain', () => p.client.resume());
      }
    });
    server.on('error', () => destroy(p));
    server.on('close', () => destroy(p));
    if (holding) {
      server.pause();
      p.client.pause();
    }
  };

  const listener: Server = createServer({ pauseOnConnect: true }, (client) => {
    if (closed) {
      client.destroy();
      return;
    }
    stats.accepted++;
    client.setNoDelay(true);
    const p: Pair = { client, server: null, dropping: false, closed: false };
    pairs.add(p);
    client.on('error', () => destroy(p));
    client.on('close', () => destroy(p));
    // A connection opened during a hold waits, unconnected, until the hold ends.
    if (!holding) {
      link(p);
      client.resume();
    }
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (listener.address() as { port: number }).port;

  const record = (kind: FaultKind, ms: number, connections: number, then?: 'resume' | 'cut'): void => {
    stats.faults.push({ at: Date.now() - started, kind, ms, connections, ...(then ? { then } : {}) });
  };
  const pickOne = (pick = 0): Pair | undefined => {
    const all = [...pairs];
    return all[Math.min(all.length - 1, Math.floor(pick * all.length))];
  };
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  const cutAll = (): number => {
    const n = pairs.size;
    for (const p of [...pairs]) destroy(p);
    stats.cut += n;
    record('cutAll', 0, n);
    return n;
  };

  const cutOne = (pick?: number): number => {
    const p = pickOne(pick);
    if (!p) return 0;
    destroy(p);
    stats.cut++;
    record('cutOne', 0, 1);
    return 1;
  };

  const dropToClient = async (ms: number, pick?: number): Promise<number> => {
    const chosen = pick === undefined ? [...pairs] : [pickOne(pick)].filter((p): p is Pair => p !== undefined);
    for (const p of chosen) p.dropping = true;
    record('dropToClient', ms, chosen.length);
    await sleep(ms);
    for (const p of chosen) {
      if (!p.closed) stats.cut++;
      destroy(p);
    }
    return chosen.length;
  };

  const hold = async (ms: number, then: 'resume' | 'cut' = 'resume'): Promise<number> => {
    if (holding) return 0;
    holding = true;
    for (const p of pairs) {
      p.client.pause();
      p.server?.pause();
    }
    const n = pairs.size;
    record('hold', ms, n, then);
    await sleep(ms);
    holding = false;
    for (const p of [...pairs]) {
      if (then === 'cut') {
        stats.cut++;
        destroy(p);
        continue;
      }
      if (p.closed) continue;
      if (p.server) {
        p.server.resume();
        p.client.resume();
      } else {
        link(p);
        p.client.resume();
      }
    }
    return n;
  };

  const chaos = (c: ChaosOptions): { stop(): Promise<void> } => {
    const random = seededRandom(c.seed);
    const meanGap = c.meanGapMs ?? 1_500;
    const maxFault = c.maxFaultMs ?? 3_000;
    const weights: Record<FaultKind, number> = { cutAll: 2, cutOne: 4, dropToClient: 2, hold: 2, ...c.weights };
    const kinds = (Object.keys(weights) as FaultKind[]).filter((k) => weights[k] > 0);
    const total = kinds.reduce((s, k) => s + weights[k], 0);
    let running = true;
    let wake: (() => void) | null = null;
    const loop = (async () => {
      while (running && !closed) {
        // Every draw is taken whatever happens, so the schedule depends on the seed alone.
        const gap = meanGap * (0.25 + 1.5 * random());
        const which = random() * total;
        const length = Math.max(50, Math.floor(maxFault * random()));
        const pick = random();
        const thenCut = random() < 0.5;
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, gap);
        });
        wake = null;
        if (!running || closed) break;
        let acc = 0;
        const kind = kinds.find((k) => (acc += weights[k]) > which) ?? kinds[kinds.length - 1]!;
        if (kind === 'cutAll') cutAll();
        else if (kind === 'cutOne') cutOne(pick);
        else if (kind === 'dropToClient') await dropToClient(length, pick);
        else await hold(length, thenCut ? 'cut' : 'resume');
      }
    })();
    return {
      async stop() {
        running = false;
        wake?.();
        await loop;
      },
    };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => pairs.size,
    cutAll,
    cutOne,
    dropToClient,
    hold,
    chaos,
    stats,
    async close() {
      if (closed) return;
      closed = true;
      holding = false;
      for (const p of [...pairs]) destroy(p);
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
