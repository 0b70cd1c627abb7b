/**
 * The sync protocol's own part, knowing no board: login, the handshake, push, pull, poke,
 * errors and limits. `common/protocol.ts` completes it with what the boards register (the
 * change union, their own socket events and HTTP routes). docs/protocol.md explains it for
 * teams writing their own client.
 *
 * - HTTP `POST /api/login` `{username, password, clientId?}` → tokens `{token, expiresAt,
 *   refreshToken, refreshExpiresAt, user}`, or a second-factor step `{secondFactor, ticket}`
 *   answered on `/api/login/totp` or `/api/login/enrol[/confirm]`; `POST /api/session/refresh`
 *   rotates the refresh token; `POST /api/logout` and `/api/logout/all` end sessions.
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
  /** Ends every session of the caller's account (« Se déconnecter partout »). */
  logoutAll: '/api/logout/all',
  /** Second factor of an enrolled user: `{ticket, code, clientId?}` → tokens. */
  loginTotp: '/api/login/totp',
  /** Enrolment forced by the login: `{ticket}` → `{secret, otpauthUri}` (a new secret each call). */
  enrolStart: '/api/login/enrol',
  /** `{ticket, code, clientId?}` → tokens and the recovery codes, shown once. */
  enrolConfirm: '/api/login/enrol/confirm',
  /** `{refreshToken, clientId}` → new tokens; the refresh token presented is spent. */
  refresh: '/api/session/refresh',
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
  /** Binds the session to this workstation now; without it, the first handshake or refresh binds it. */
  clientId: ClientIdSchema.optional(),
});

const TicketSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'étape de connexion invalide');

/** The second step of a login: a TOTP code (6 digits) or a recovery code. */
export const SecondFactorRequestSchema = z.strictObject({
  ticket: TicketSchema,
  code: z.string().trim().min(1, 'code requis').max(32),
  clientId: ClientIdSchema.optional(),
});
export type SecondFactorRequest = z.infer<typeof SecondFactorRequestSchema>;

export const EnrolStartRequestSchema = z.strictObject({ ticket: TicketSchema });
export type EnrolStartRequest = z.infer<typeof EnrolStartRequestSchema>;

export const RefreshRequestSchema = z.strictObject({
  refreshToken: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'jeton de session invalide'),
  clientId: ClientIdSchema,
});
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/** Optional body of `POST /api/logout` (with `Authorization: Bearer <access token>`): the refresh token, which ends the login even once the access token has expired. */
export const LogoutRequestSchema = z.strictObject({ refreshToken: RefreshRequestSchema.shape.refreshToken.optional() });
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

/** A login that succeeded: a short-lived access token and the refresh token that renews it. */
export interface LoginResponse {
  /** Access token (handshake `auth.token`, `Authorization: Bearer`), valid until `expiresAt` (minutes). */
  token: string;
  expiresAt: string;
  /** Spent by `POST /api/session/refresh`, which answers a new pair; valid until `refreshExpiresAt` (the login's end). */
  refreshToken: string;
  refreshExpiresAt: string;
  user: SessionUser;
  /** Set when the account's role requires a second factor that this `--demo` server waives for its demonstration accounts. */
  secondFactorWaived?: 'demo';
}

/** The password was right; the login continues with a second factor (`ticket` lives 5 minutes). */
export interface SecondFactorChallenge {
  /** `totp`: send a code to `/api/login/totp`; `enrol`: enrol first (`/api/login/enrol`, then `/confirm`). */
  secondFactor: 'totp' | 'enrol';
  ticket: string;
  ticketExpiresAt: string;
}

/** What `POST /api/login` answers with status 200. */
export type LoginAnswer = LoginResponse | SecondFactorChallenge;

export interface EnrolStartResponse {
  /** Base32 secret, for typing into an app by hand. */
  secret: string;
  /** `otpauth://totp/Vigie:<username>?secret=…&issuer=Vigie`, for the QR code. */
  otpauthUri: string;
}

/** The enrolment's last answer: tokens, and ten recovery codes shown this once. */
export interface EnrolConfirmResponse extends LoginResponse {
  recoveryCodes: string[];
}

export interface HandshakeAuth {
  token: string;
  clientId: string;
}

/** A socket event a board adds: request in, `Reply<R>` back through the acknowledgement. */
export type AskEvent<Q, R> = (req: Q, reply: (r: Reply<R>) => void) => void;
