/**
 * One worker process of the scale bench: a few thousand simulated workstations, each a real
 * socket.io-client socket (WebSocket transport, no reconnection: a lost socket is counted,
 * not hidden). Started by `scaleWorkers.ts` with `child_process.fork` under tsx; driven by
 * the messages of `WorkerCommand`.
 *
 * It records, for every poke a socket receives, the id of each bench row in it (a message or
 * a bed report) and the arrival time on the cross-process clock (`performance.timeOrigin +
 * performance.now()`, comparable between processes of one machine). The parent matches them
 * against the writes and the scope rule. It also measures what limits it: its event-loop
 * delay, CPU time and memory.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { WorkerCommand, WorkerReply, WorkerDeliveries } from './scaleWorkers';

const now = () => performance.timeOrigin + performance.now();

/** What a poke may carry, reduced to what is read here (Vigie's `Poke` and the raw baseline's copy of it). */
interface PokeLike {
  changes?: Array<{ entity?: string; data?: { id?: unknown } }>;
}
interface HelloLike {
  head?: unknown;
}

const sockets: Socket[] = [];
/** Global index of each local socket. */
const indexOf: number[] = [];
/** The change-log head each socket was told in its hello (Vigie only): its verification pull starts there. */
const heads: number[] = [];
let recording = false;
let disconnects = 0;
let disconnectReason = '';

const idNumber = new Map<string, number>();
const ids: string[] = [];
let delivSocket: number[] = [];
let delivWrite: number[] = [];
let delivAt: number[] = [];

const lag = monitorEventLoopDelay({ resolution: 10 });
let cpuAtStart = process.cpuUsage();
let wallAtStart = now();
let rssMax = 0;
let rssTimer: NodeJS.Timeout | undefined;

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

function record(local: number, poke: PokeLike): void {
  if (!recording) return;
  const at = now();
  for (const c of poke.changes ?? []) {
    if (c.entity !== 'message' && c.entity !== 'unit') continue;
    const id = c.data?.id;
    if (typeof id !== 'string') continue;
    let n = idNumber.get(id);
    if (n === undefined) {
      n = ids.length;
      ids.push(id);
      idNumber.set(id, n);
    }
    delivSocket.push(indexOf[local]);
    delivWrite.push(n);
    delivAt.push(at);
  }
}

function connectOne(url: string, auth: Record<string, unknown>, local: number, timeoutMs: number): Promise<Socket> {
  const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs, auth });
  s.on('sync:hello', (hello: HelloLike) => {
    if (typeof hello.head === 'number') heads[local] = hello.head;
  });
  s.on('sync:poke', (poke: PokeLike) => record(local, poke));
  return new Promise((resolve, reject) => {
    s.once('connect', () => {
      s.on('disconnect', (reason) => {
        disconnects++;
        disconnectReason ||= reason;
      });
      resolve(s);
    });
    s.once('connect_error', (err) => {
      s.close();
      reject(err);
    });
  });
}

async function connectAll(cmd: Extract<WorkerCommand, { type: 'connect' }>): Promise<void> {
  const started = now();
  const failed: number[] = [];
  let firstError = '';
  let next = 0;
  const lane = async () => {
    while (next < cmd.clients.length) {
      const c = cmd.clients[next++];
      const local = sockets.length;
      sockets.push(null as unknown as Socket);
      indexOf.push(c.index);
      heads.push(0);
      const auth: Record<string, unknown> = cmd.mode === 'vigie' ? { token: c.token, clientId: c.clientId } : { rooms: c.rooms };
      try {
        sockets[local] = await connectOne(cmd.url, auth, local, cmd.timeoutMs);
      } catch (err) {
        failed.push(c.index);
        firstError ||= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, lane));
  send({ type: 'connected', connected: cmd.clients.length - failed.length, failed, firstError, ms: now() - started });
}

function deliveries(): WorkerDeliveries {
  return { ids, socket: Int32Array.from(delivSocket), write: Int32Array.from(delivWrite), at: Float64Array.from(delivAt) };
}

/** Each socket pulls from the head its hello gave; answers, per socket, the bench row ids it was given. */
async function verify(wanted: ReadonlySet<string>): Promise<Array<[number, string[]]>> {
  const out: Array<[number, string[]]> = [];
  for (let local = 0; local < sockets.length; local++) {
    const s = sockets[local];
    if (!s?.connected) continue;
    const seen: string[] = [];
    let cursor = heads[local];
    for (;;) {
      const page = await new Promise<{ cursor: number; more: boolean; changes: Array<{ entity: string; data: { id?: unknown } }> }>((resolve, reject) => {
        s.timeout(60_000).emit('sync:pull', { cursor, limit: 5000 }, (err: Error | null, reply: { data?: never; error?: { message: string } }) => {
          if (err) return reject(err);
          if (reply.error) return reject(new Error(reply.error.message));
          resolve(reply.data as never);
        });
      });
      for (const c of page.changes) if (typeof c.data.id === 'string' && wanted.has(c.data.id)) seen.push(c.data.id);
      cursor = page.cursor;
      if (!page.more) break;
    }
    out.push([indexOf[local], seen]);
  }
  return out;
}

process.on('message', (cmd: WorkerCommand) => {
  switch (cmd.type) {
    case 'connect':
      void connectAll(cmd);
      return;
    case 'start':
      idNumber.clear();
      ids.length = 0;
      delivSocket = [];
      delivWrite = [];
      delivAt = [];
      disconnects = 0;
      disconnectReason = '';
      lag.reset();
      lag.enable();
      cpuAtStart = process.cpuUsage();
      wallAtStart = now();
      rssMax = process.memoryUsage().rss;
      rssTimer = setInterval(() => {
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }, 500);
      recording = true;
      send({ type: 'started' });
      return;
    case 'stop': {
      recording = false;
      lag.disable();
      clearInterval(rssTimer);
      const cpu = process.cpuUsage(cpuAtStart);
      const wall = now() - wallAtStart;
      send({
        type: 'results',
        deliveries: deliveries(),
        disconnects,
        disconnectReason,
        stats: {
          cpuShare: (cpu.user + cpu.system) / 1000 / wall,
          rssMaxMiB: rssMax / 2 ** 20,
          lagP99Ms: lag.percentile(99) / 1e6,
          lagMaxMs: lag.max / 1e6,
        },
      });
      return;
    }
    case 'count':
      send({ type: 'count', deliveries: delivAt.length });
      return;
    case 'verify':
      verify(new Set(cmd.ids)).then(
        (seen) => send({ type: 'verified', seen }),
        (err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    case 'close':
      for (const s of sockets) s?.disconnect();
      setTimeout(() => process.exit(0), 100);
      return;
  }
});

send({ type: 'ready' });
