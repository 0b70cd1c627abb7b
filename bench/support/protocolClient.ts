/** A bare protocol client for benchmarks: HTTP login, an authenticated socket, push and pull. */
import { io, type Socket } from 'socket.io-client';
import { syncHttp as httpPaths, syncWire, type LoginResponse, type Mutation, type PullResult, type PushResult, type Reply } from '../../common/protocol';

export const DEMO_PASSWORD = 'demo-vigie';

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<LoginResponse> {
  const res = await fetch(baseUrl + httpPaths.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

export function connect(baseUrl: string, token: string, clientId: string): Promise<Socket> {
  const s = io(baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token, clientId } });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

export function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.timeout(60_000).emit(event, payload, (err: Error | null, reply: Reply<T>) => {
      if (err) return reject(err);
      if ('error' in reply) return reject(new Error(`${reply.error.code}: ${reply.error.message}`));
      resolve(reply.data);
    });
  });
}

/** Pushes mutations in batches of `batch`, in order; throws if any is not applied. */
export async function pushAll(socket: Socket, clientId: string, mutations: Mutation[], batch = 500): Promise<void> {
  for (let i = 0; i < mutations.length; i += batch) {
    const res = await ask<PushResult>(socket, syncWire.push, { clientId, mutations: mutations.slice(i, i + batch) });
    const bad = res.results.find((r) => r.status !== 'applied');
    if (bad) throw new Error(`mutation not applied: ${JSON.stringify(bad)}`);
  }
}

/** Pulls everything visible from cursor 0; returns the changes and the final cursor. */
export async function pullAll(socket: Socket): Promise<{ changes: PullResult['changes']; cursor: number }> {
  const changes: PullResult['changes'] = [];
  let cursor = 0;
  for (;;) {
    const page = await ask<PullResult>(socket, syncWire.pull, { cursor, limit: 5000 });
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return { changes, cursor };
  }
}

export async function openEventId(socket: Socket): Promise<string> {
  const { changes } = await pullAll(socket);
  for (const c of changes) if (c.entity === 'event' && c.data.status === 'open') return c.data.id;
  throw new Error('no open event in the demo data set');
}
