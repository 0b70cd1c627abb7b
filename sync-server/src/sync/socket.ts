/**
 * Socket.IO wiring: the handshake (token + client id), the rooms a socket joins, the
 * `sync:push` / `sync:pull` handlers and the events boards add (`beds:history`). Handlers
 * validate, call the service, and always answer `{data}` or `{error}`; nothing thrown reaches
 * a client unsanitised.
 */
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { fr } from '../../../common/i18n/fr';
import { privatePathOfRole, type Territories } from '../../../common/territory';
import type { AuthenticatedSession, AuthService, RevokedSessions } from '../auth/authService';
import type { SocketHandler } from '../board';
import { errorText } from '../errors';
import type { LogFn } from '../log';
import { roomsForSocket } from '../scope';
import type { ServerStore } from '../store/types';
import { checkPull, checkPush } from './validate';
import type { SyncService } from './syncService';
import { ClientIdSchema, syncWire, type ClientToServerEvents, type ErrorCode, type Reply, type ServerToClientEvents, type SyncHello } from '../../../common/protocol';

export interface SocketData {
  session: AuthenticatedSession;
  clientId: string;
  /** Read during the handshake, sent as the socket's first event. */
  hello: SyncHello;
}

export type SyncIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type SyncSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketDeps {
  auth: AuthService;
  store: ServerStore;
  sync: SyncService;
  territories: Territories;
  /** The events boards answer, by event name. */
  boardEvents: ReadonlyMap<string, SocketHandler>;
  /** Client id prefixes the boards' server-side writers own (no workstation may use one). */
  reservedClientIds: readonly string[];
  now(): Date;
  /** How often every connected socket's session is checked again (logged out elsewhere, user disabled). */
  sessionSweepMs: number;
  /**
   * How often the store's sessions generation is read (default 0.5 s): a revocation made by
   * another process (the CLI, another server) cuts this process's sockets within this delay.
   * Revocations made by this process cut them at once (`cutRevokedSockets`).
   */
  revocationPollMs?: number;
  /** Lines about a socket pass its user id and client id. */
  log: LogFn;
}

const HandshakeSchema = z.object({ token: z.string().min(1).max(512), clientId: z.unknown().optional() });

/** An Error as Socket.IO hands it to the client's `connect_error`: French message, `data.code`. */
function refusal(code: ErrorCode, message: string): Error & { data: { code: ErrorCode } } {
  return Object.assign(new Error(message), { data: { code } });
}

/** Longest timer Node accepts (~24.8 days); a later expiry is caught by the sweep. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Wires the handlers. A socket lives no longer than its session: it is cut when the session
 * expires (a timer) and, within `sessionSweepMs`, when the session was ended elsewhere or its
 * user disabled, so an idle socket stops receiving pokes then, not at its next request.
 * Returns what stops the sweep.
 */
export function attachSyncHandlers(io: SyncIo, deps: SocketDeps): { close(): void } {
  io.use((socket, next) => {
    handshake(socket, deps).then(
      (err) => next(err ?? undefined),
      (err: unknown) => {
        deps.log(`handshake failed: ${errorText(err)}`);
        next(refusal('internal', fr.protocol.internal));
      },
    );
  });

  io.on('connection', (socket) => {
    // First, before any answer or poke: the client checks its cache against the epoch and head.
    socket.emit(syncWire.hello, socket.data.hello);
    const who = { userId: socket.data.session.user.id, clientId: socket.data.clientId };
    deps.log('socket connected', { ...who, level: 'info' });
    socket.once('disconnect', (reason) => deps.log(`socket disconnected: ${reason}`, { ...who, level: 'info' }));
    const { actor } = socket.data.session;
    void socket.join(roomsForSocket(actor.territoryPath, privatePathOfRole(actor.role, actor.territoryPath)));
    const left = Date.parse(socket.data.session.expiresAt) - deps.now().getTime();
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(left, MAX_TIMER_MS)));
    expiry.unref();
    socket.once('disconnect', () => clearTimeout(expiry));
    // One socket's requests are handled one after the other, in the order they arrived (see
    // docs/protocol.md §4): a pull sent after a push sees it, two pushes apply in the order sent.
    const inOrder = requestQueue();
    socket.on(syncWire.push, (raw: unknown, reply: unknown) => {
      inOrder(() =>
        answer(socket, deps, reply, async (session) => {
          const checked = checkPush(raw, socket.data.clientId);
          if (!checked.ok) return { error: checked.error };
          return deps.sync.push(session, checked.value);
        }),
      );
    });
    socket.on(syncWire.pull, (raw: unknown, reply: unknown) => {
      inOrder(() =>
        answer(socket, deps, reply, async (session) => {
          const checked = checkPull(raw);
          if (!checked.ok) return { error: checked.error };
          return deps.sync.pull(session, checked.value);
        }),
      );
    });
    // Board events are registered by name at start-up; the typed map of the protocol is for clients.
    const untyped = socket as unknown as { on(event: string, listener: (raw: unknown, reply: unknown) => void): void };
    for (const [event, handler] of deps.boardEvents) {
      untyped.on(event, (raw, reply) => {
        inOrder(() => answer(socket, deps, reply, (session) => handler(session.actor, raw)));
      });
    }
  });

  let sweeping = false;
  const runSweep = () => {
    if (sweeping) return;
    sweeping = true;
    void sweepSessions(io, deps).finally(() => {
      sweeping = false;
    });
  };
  const sweep = setInterval(runSweep, deps.sessionSweepMs);
  sweep.unref();
  // One cheap read every half second; a full sweep only when some session was revoked somewhere.
  let generation: number | null = null;
  const readGeneration = () => {
    deps.store.sessionsGeneration().then(
      (g) => {
        if (generation !== null && g !== generation) runSweep();
        generation = g;
      },
      (err: unknown) => deps.log(`sessions generation read failed: ${errorText(err)}`),
    );
  };
  // The baseline now, not at the first tick: a revocation before that tick must be seen.
  readGeneration();
  const poll = setInterval(readGeneration, deps.revocationPollMs ?? 500);
  poll.unref();
  return {
    close: () => {
      clearInterval(sweep);
      clearInterval(poll);
    },
  };
}

/** Cuts at once the live sockets of the sessions a revocation ended (a logout, logout everywhere, an administrator's revoke). */
export function cutRevokedSockets(io: SyncIo, revoked: RevokedSessions): number {
  let n = 0;
  for (const socket of io.of('/').sockets.values()) {
    const session = socket.data.session;
    if (!session) continue;
    const hit = 'familyId' in revoked ? session.familyId === revoked.familyId : session.user.id === revoked.userId;
    if (hit) {
      socket.disconnect(true);
      n++;
    }
  }
  return n;
}

/** Cuts the sockets whose session no longer holds (checked once per distinct session). */
async function sweepSessions(io: SyncIo, deps: SocketDeps): Promise<void> {
  const byHash = new Map<string, SyncSocket[]>();
  for (const socket of io.of('/').sockets.values()) {
    const hash = socket.data.session?.tokenHash;
    if (!hash) continue;
    const list = byHash.get(hash);
    if (list) list.push(socket);
    else byHash.set(hash, [socket]);
  }
  for (const [hash, sockets] of byHash) {
    try {
      if (await deps.auth.authenticateHash(hash)) continue;
    } catch (err) {
      deps.log(`session sweep failed: ${errorText(err)}`);
      return;
    }
    for (const socket of sockets) socket.disconnect(true);
  }
}

async function handshake(socket: SyncSocket, deps: SocketDeps): Promise<Error | null> {
  const auth = HandshakeSchema.safeParse(socket.handshake.auth);
  if (!auth.success) return refusal('unauthenticated', fr.protocol.unauthenticated);
  const clientId = ClientIdSchema.safeParse(auth.data.clientId);
  if (!clientId.success) return refusal('bad_request', fr.server.clientIdInvalid);
  if (deps.reservedClientIds.some((prefix) => clientId.data.startsWith(prefix))) return refusal('forbidden', fr.server.clientIdReserved);
  const session = await deps.auth.authenticate(auth.data.token);
  if (!session) return refusal('unauthenticated', fr.protocol.unauthenticated);
  // A login belongs to one workstation: its tokens are refused with another client id.
  if (!(await deps.auth.bindClient(session, clientId.data))) return refusal('forbidden', fr.protocol.clientMismatch);
  if ((await deps.store.claimClient(clientId.data, session.user.id)) !== 'ok') {
    return refusal('forbidden', fr.protocol.wrongClient);
  }
  socket.data.session = session;
  socket.data.clientId = clientId.data;
  socket.data.hello = await deps.sync.hello(clientId.data);
  return null;
}

/**
 * A queue of one socket's requests: each starts when the one before it has answered. (With
 * an asynchronous store, two requests handled side by side could settle in either order.)
 * `answer` never rejects; a rejection would still not stop the queue.
 */
function requestQueue(): (job: () => Promise<void>) => void {
  let tail: Promise<void> = Promise.resolve();
  return (job) => {
    tail = tail.then(job).catch(() => undefined);
  };
}

/**
 * Runs one request: re-checks the session (it may have expired or been logged out since the
 * handshake), runs `work`, and replies exactly once. A missing or non-function ack is
 * tolerated: the work still runs (a push is idempotent per mutation id), the answer is dropped.
 */
async function answer<T>(
  socket: SyncSocket,
  deps: SocketDeps,
  reply: unknown,
  work: (session: AuthenticatedSession) => Promise<Reply<T>>,
): Promise<void> {
  const send = typeof reply === 'function' ? (reply as (r: Reply<T>) => void) : () => {};
  let result: Reply<T>;
  let expired = false;
  try {
    const session = await deps.auth.authenticateHash(socket.data.session.tokenHash);
    if (!session) {
      expired = true;
      result = { error: { code: 'unauthenticated', message: fr.protocol.unauthenticated } };
    } else {
      result = await work(session);
    }
  } catch (err) {
    deps.log(`socket request failed: ${errorText(err)}`, { userId: socket.data.session.user.id, clientId: socket.data.clientId });
    result = { error: { code: 'internal', message: fr.protocol.internal } };
  }
  try {
    send(result);
  } catch (err) {
    deps.log(`ack failed: ${errorText(err)}`, { userId: socket.data.session.user.id, clientId: socket.data.clientId });
  }
  if (expired) socket.disconnect(true);
}
