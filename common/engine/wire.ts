/**
 * The sync protocol's own part, knowing no board: login, the handshake, push, pull, poke,
 * errors and limits. `common/protocol.ts` completes it with what the boards register (the
 * change union, their own socket events and HTTP routes). docs/protocol.md explains it for
 * teams writing their own client.
 *
 * - HTTP `POST /api/login` `{username, password}` → `{token, expiresAt, user}`.
 * - Socket.IO handshake `auth: {token, clientId}`.
 * - Client → server events, each answered through the Socket.IO acknowledgement callback
 *   with `{data}` or `{error: {code, message}}`: `sync:push`, `sync:pull`.
 * - Server → client: `sync:hello` once per connection, before anything else (the server's
 *   epoch, head and this client id's last mutation id), and `sync:poke` with the new changes
 *   the client may see.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** Largest accepted Socket.IO message, bytes. Larger frames close the connection. */
export const MAX_FRAME_BYTES = 2_000_000;
/** Largest accepted push payload (serialised JSON), bytes; answered with `too_large`. */
export const MAX_PUSH_BYTES = 1_000_000;
export const MAX_PUSH_MUTATIONS = 500;
export const MAX_PULL_LIMIT = 5_000;
export const DEFAULT_PULL_LIMIT = 2_000;

export const syncWire = {
  push: 'sync:push',
  pull: 'sync:pull',
  poke: 'sync:poke',
  hello: 'sync:hello',
} as const;

export const syncHttp = {
  login: '/api/login',
  logout: '/api/logout',
  health: '/api/health',
} as const;

export type ErrorCode = 'bad_request' | 'too_large' | 'unauthenticated' | 'forbidden' | 'gap' | 'cursor_ahead' | 'internal';

export interface WireError {
  code: ErrorCode;
  /** A French sentence a person can act on. */
  message: string;
}

export type Reply<T> = { data: T } | { error: WireError };

export const ClientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'identifiant de poste invalide');

export const MutationSchema = z.strictObject({
  clientId: ClientIdSchema,
  mutationId: z.number().int().min(1),
  name: z.string().min(1).max(64),
  args: z.unknown(),
  at: z.iso.datetime({ offset: true }),
});
export type Mutation = z.infer<typeof MutationSchema>;

export const PushRequestSchema = z.strictObject({
  clientId: ClientIdSchema,
  mutations: z.array(MutationSchema).min(1),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export type MutationResult =
  | { mutationId: number; status: 'applied'; version: number }
  | { mutationId: number; status: 'rejected'; reason: string };

export interface PushResult {
  results: MutationResult[];
}

export const PullRequestSchema = z.strictObject({
  cursor: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

/** One page of a pull as the store reads it, for a change type `C` (the registry's `Change`). */
export interface PullPageOf<C> {
  changes: C[];
  /** Every change up to this version that the client may see is in this answer or before. */
  cursor: number;
  /** More changes wait beyond `cursor`: pull again. */
  more: boolean;
}

/**
 * A pull's answer: the page and the server's epoch. Versions (and so cursors) only mean
 * something inside one epoch: a client whose cache was filled from another epoch (the
 * server was restored from a backup since) must rebuild it from cursor 0.
 */
export interface PullResultOf<C> extends PullPageOf<C> {
  epoch: string;
}

/**
 * What the server tells a socket once, as its first event after the handshake: the epoch of
 * its database (a random id, new after each restore), its head (the highest version of the
 * change log) and the last mutation id it holds for the handshake's client id (0 if none).
 * A client compares them with its cache before pushing anything (docs/protocol.md §3).
 */
export interface SyncHello {
  protocol: number;
  epoch: string;
  head: number;
  lastMutationId: number;
}

/** Live notice of new changes. Applying them is safe at any time (rows carry their version); the cursor only moves by pulling. */
export interface PokeOf<C> {
  version: number;
  changes: C[];
}

export const LoginRequestSchema = z.strictObject({
  username: z.string().trim().min(1, 'identifiant requis').max(64),
  password: z.string().min(1, 'mot de passe requis').max(256),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  /** `national`, `ars:11`, `samu:75`, `establishment:<FINESS>`, `field:<post>` */
  role: string;
  territory: string;
  territoryLabel: string;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface HandshakeAuth {
  token: string;
  clientId: string;
}

/** A socket event a board adds: request in, `Reply<R>` back through the acknowledgement. */
export type AskEvent<Q, R> = (req: Q, reply: (r: Reply<R>) => void) => void;
