/**
 * The scale bench's writes: what is written where (one plan, replayed identically against
 * Vigie and the raw baseline), the writer sockets, and the pacing at a fixed rate.
 *
 * The mix (`WRITE_MIX`) follows what pokes realistic scopes: most writes are bed reports of
 * one establishment (seen by its workstations, its SAMU, its ARS and the national cells) and
 * local messages of a département (its SAMU and establishments, its ARS, national); some
 * regional messages; rarely a national one (every workstation). Territories are drawn where
 * the workstations are. Writers are national workstations: a national cell may post on any
 * territory and import bed reports (a register extract) for any establishment.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { roomsForChange, roomsForSocket } from '../../sync-server/src/scope';
import type { Territories } from '../../common/territory';
import type { Message } from '../../common/domain/eventlog/model';
import type { UnitReport } from '../../common/domain/beds/model';
import { syncWire, type Mutation, type Poke, type PushResult, type Reply, type SyncHello } from '../../common/protocol';
import { seededRandom, type Workstation, type WriterAccount } from './scaleAccounts';
import type { WriteRecord } from './scaleAccounting';

/** Shares of the writes, by kind (sum 1). */
export const WRITE_MIX = { bedReport: 0.6, localMessage: 0.32, regionalMessage: 0.075, nationalMessage: 0.005 } as const;

export interface PlannedWrite {
  id: string;
  kind: 'report' | 'message';
  /** `E:<finess>` for a report, `D:`, `R:` or `FR` for a message. */
  territory: string;
  /** Its territory path: the scope of the row it writes. */
  path: string;
}

/** `count` writes following `WRITE_MIX`, on territories drawn from the workstations'. */
export function planWrites(territories: Territories, workstations: readonly Workstation[], count: number, seed = 2): PlannedWrite[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const keyAt = (path: string, depth: number) => path.split('/').filter(Boolean)[depth];
  const establishments = workstations.filter((w) => w.path.split('/').length - 2 === 4).map((w) => keyAt(w.path, 3));
  const below = workstations.filter((w) => w.path.split('/').length - 2 >= 3).map((w) => keyAt(w.path, 2));
  const regional = workstations.filter((w) => w.path.split('/').length - 2 >= 2).map((w) => keyAt(w.path, 1));
  const allEstablishments = territories.establishmentsIn().map((e) => `E:${e.finess}`);
  const allDeps = territories.departementList().map((d) => `D:${d.code}`);
  const allRegions = territories.regionList().map((r) => `R:${r.code}`);
  const out: PlannedWrite[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    let kind: PlannedWrite['kind'] = 'message';
    let territory: string;
    if (r < WRITE_MIX.bedReport) {
      kind = 'report';
      territory = pick(establishments.length ? establishments : allEstablishments);
    } else if (r < WRITE_MIX.bedReport + WRITE_MIX.localMessage) {
      territory = pick(below.length ? below : allDeps);
    } else if (r < 1 - WRITE_MIX.nationalMessage) {
      territory = pick(regional.length ? regional : allRegions);
    } else {
      territory = 'FR';
    }
    const path = territories.path(territory);
    if (!path) throw new Error(`bench: unknown territory ${territory}`);
    out.push({ id: randomUUID(), kind, territory, path });
  }
  return out;
}

const BODY = 'Point de situation : capacités revues, renforts en route, prochain point à 14 h.';

/** The mutation Vigie's writer pushes for a planned write. */
export function mutationFor(w: PlannedWrite, eventId: string, clientId: string, mutationId: number, n: number): Mutation {
  const at = new Date().toISOString();
  if (w.kind === 'report') {
    return {
      clientId,
      mutationId,
      name: 'unit.report',
      at,
      args: { id: w.id, finess: w.territory.slice(2), unitType: 'REA_MED', installed: 24, staffed: 20, available: n % 12, source: 'import', confirmJump: true },
    };
  }
  return { clientId, mutationId, name: 'message.post', at, args: { id: w.id, eventId, territory: w.territory, kind: 'information', priority: 'info', body: BODY } };
}

/** A poke shaped like the one Vigie sends for the same write (same entity, same fields), for the raw baseline. */
export function rawPokeFor(w: PlannedWrite, n: number): Poke {
  const at = new Date().toISOString();
  if (w.kind === 'report') {
    const data: UnitReport = {
      id: w.id,
      finess: w.territory.slice(2),
      unitId: 'REA_MED',
      unitName: null,
      unitType: 'REA_MED',
      installed: 24,
      staffed: 20,
      available: n % 12,
      covidPos: null,
      covidNeg: null,
      extra24h: null,
      extra72h: null,
      surge: null,
      assignment: null,
      temporary: false,
      ror: null,
      comment: '',
      source: 'import',
      reportedBy: 'Poste de mesure bench-writer',
      reportedRole: 'national',
      at,
      atKnown: false,
      version: n,
    };
    return { version: n, changes: [{ version: n, entity: 'unit', data }] };
  }
  const level = w.territory === 'FR' ? 'national' : w.territory.startsWith('R:') ? 'regional' : 'local';
  const data: Message = {
    id: w.id,
    eventId: randomUUID(),
    level,
    territory: w.territory,
    kind: 'information',
    priority: 'info',
    body: BODY,
    authorId: randomUUID(),
    authorName: 'Poste de mesure bench-writer',
    authorRole: 'national',
    at,
    replaces: null,
    corrects: null,
    ackList: null,
    receivedAt: at,
    version: n,
  };
  return { version: n, changes: [{ version: n, entity: 'message', data }] };
}

/** One writer socket: sends a write, resolves when the server acknowledged it. */
export interface Writer {
  /** `sentAt` is taken just before the emit, on the cross-process clock. */
  write(w: PlannedWrite, n: number): Promise<{ sentAt: number; applied: boolean; reason?: string }>;
  close(): void;
}

const clock = () => performance.timeOrigin + performance.now();

function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
}

/** A Vigie writer: a national workstation's socket pushing one mutation at a time, in order. */
export async function vigieWriter(url: string, account: WriterAccount, eventId: string): Promise<Writer> {
  const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000, auth: { token: account.token, clientId: account.clientId } });
  const hello = new Promise<SyncHello>((resolve) => s.once(syncWire.hello, resolve));
  await connected(s);
  let mutationId = (await hello).lastMutationId;
  return {
    write(w, n) {
      const m = mutationFor(w, eventId, account.clientId, ++mutationId, n);
      return new Promise((resolve) => {
        const sentAt = clock();
        s.timeout(120_000).emit(syncWire.push, { clientId: account.clientId, mutations: [m] }, (err: Error | null, reply: Reply<PushResult>) => {
          if (err) return resolve({ sentAt, applied: false, reason: err.message });
          if ('error' in reply) return resolve({ sentAt, applied: false, reason: `${reply.error.code}: ${reply.error.message}` });
          const r = reply.data.results[0];
          resolve(r?.status === 'applied' ? { sentAt, applied: true } : { sentAt, applied: false, reason: JSON.stringify(r) });
        });
      });
    },
    close: () => s.disconnect(),
  };
}

/**
 * A raw baseline writer: `post`s the equivalent poke with the rooms Vigie would emit it to.
 * It joins a national workstation's rooms, as Vigie's writers are national workstations that
 * receive every poke too: both servers carry the same traffic.
 */
export async function rawWriter(url: string): Promise<Writer> {
  const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000, auth: { rooms: roomsForSocket('/FR/') } });
  await connected(s);
  return {
    write(w, n) {
      const payload = { rooms: roomsForChange(w.path), poke: rawPokeFor(w, n) };
      return new Promise((resolve) => {
        const sentAt = clock();
        s.timeout(120_000).emit('post', payload, (err: Error | null) => resolve({ sentAt, applied: !err, reason: err?.message }));
      });
    },
    close: () => s.disconnect(),
  };
}

export interface PacedRun {
  records: WriteRecord[];
  /** Writes per second actually sent (first to last send). */
  achievedRate: number;
  /** The latest a write left after its due time (all writers busy), ms. */
  maxSendDelayMs: number;
  rejected: number;
  firstRejection: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends the plan at `ratePerSec`, each writer one write at a time (a client's mutations are
 * taken in order); a write whose writers are all busy leaves late, and the delay is reported.
 */
export async function paceWrites(plan: readonly PlannedWrite[], writers: readonly Writer[], ratePerSec: number): Promise<PacedRun> {
  const records: WriteRecord[] = plan.map((w) => ({ id: w.id, path: w.path, sentAt: null }));
  const free = [...writers];
  let wake: (() => void) | null = null;
  const inflight: Array<Promise<void>> = [];
  let rejected = 0;
  let firstRejection = '';
  let maxSendDelayMs = 0;
  let firstSend = Infinity;
  let lastSend = 0;
  const interval = 1000 / ratePerSec;
  const t0 = performance.now();
  for (let k = 0; k < plan.length; k++) {
    const due = t0 + k * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    while (free.length === 0) await new Promise<void>((r) => (wake = r));
    const writer = free.pop() as Writer;
    maxSendDelayMs = Math.max(maxSendDelayMs, performance.now() - due);
    const i = k;
    inflight.push(
      writer.write(plan[i], i + 1).then((r) => {
        firstSend = Math.min(firstSend, r.sentAt);
        lastSend = Math.max(lastSend, r.sentAt);
        if (r.applied) records[i].sentAt = r.sentAt;
        else {
          rejected++;
          firstRejection ||= r.reason ?? '?';
        }
        free.push(writer);
        const w = wake;
        wake = null;
        w?.();
      }),
    );
  }
  await Promise.all(inflight);
  const span = (lastSend - firstSend) / 1000;
  return { records, achievedRate: span > 0 ? (plan.length - 1) / span : plan.length, maxSendDelayMs, rejected, firstRejection };
}
