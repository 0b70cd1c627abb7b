/**
 * The wire protocol between a Vigie client and the sync server (Socket.IO), declared once.
 * docs/protocol.md explains it for teams writing their own client.
 *
 * - HTTP `POST /api/login` `{username, password}` → `{token, expiresAt, user}`.
 * - Socket.IO handshake `auth: {token, clientId}`.
 * - Client → server events, each answered through the Socket.IO acknowledgement callback
 *   with `{data}` or `{error: {code, message}}`: `sync:push`, `sync:pull`.
 * - Server → client: `sync:poke` with the new changes the client may see.
 */
import { z } from 'zod';
import type { UnitReport } from './domain/beds';
import type { Ack, CrisisEvent, Message } from './domain/eventLog';

export const PROTOCOL_VERSION = 1;

/** Largest accepted Socket.IO message, bytes. Larger frames close the connection. */
export const MAX_FRAME_BYTES = 2_000_000;
/** Largest accepted push payload (serialised JSON), bytes; answered with `too_large`. */
export const MAX_PUSH_BYTES = 1_000_000;
export const MAX_PUSH_MUTATIONS = 500;
export const MAX_PULL_LIMIT = 5_000;
export const DEFAULT_PULL_LIMIT = 2_000;

export const wire = {
  push: 'sync:push',
  pull: 'sync:pull',
  poke: 'sync:poke',
  history: 'beds:history',
} as const;

export const http = {
  login: '/api/login',
  logout: '/api/logout',
  health: '/api/health',
  /** Register feed: external registers push unit reports with an API key bound to a territory. */
  feedUnitReports: '/api/feed/unit-reports',
} as const;

export type ErrorCode =
  | 'bad_request'
  | 'too_large'
  | 'unauthenticated'
  | 'forbidden'
  | 'gap'
  | 'internal';

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

/** One row of the server's change log, as a client in scope receives it. */
export type Change =
  | { version: number; entity: 'event'; data: CrisisEvent }
  | { version: number; entity: 'message'; data: Message }
  | { version: number; entity: 'ack'; data: Ack }
  /** A unit's current figures (its latest report). Pulls carry only the latest per unit, never the history. */
  | { version: number; entity: 'unit'; data: UnitReport };

export interface PullResult {
  changes: Change[];
  /** Every change up to this version that the client may see is in this answer or before. */
  cursor: number;
  /** More changes wait beyond `cursor`: pull again. */
  more: boolean;
}

/** Live notice of new changes. Applying them is safe at any time (rows carry their version); the cursor only moves by pulling. */
export interface Poke {
  version: number;
  changes: Change[];
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

/** A unit's report history (scoped like a pull): newest first. */
export const HistoryRequestSchema = z.strictObject({
  finess: z.string().regex(/^[0-9][0-9AB][0-9]{7}$/),
  unitType: z.string().min(2).max(20),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;
export interface HistoryResult {
  reports: UnitReport[];
}

export const MAX_FEED_REPORTS = 2_000;
const feedBeds = z.number().int().min(0);
/** One report from an external register (`unitType`: a Vigie code or the ROR label). */
export const FeedReportSchema = z.strictObject({
  finess: z.string(),
  unitType: z.string().min(1).max(120),
  installed: feedBeds,
  staffed: feedBeds,
  available: feedBeds,
  covidPos: feedBeds.nullable().optional(),
  covidNeg: feedBeds.nullable().optional(),
  extra24h: feedBeds.nullable().optional(),
  extra72h: feedBeds.nullable().optional(),
  comment: z.string().max(500).optional(),
  /** When the register measured the figures (default: reception time). */
  at: z.iso.datetime({ offset: true }).optional(),
});
export const FeedRequestSchema = z.strictObject({ reports: z.array(FeedReportSchema).min(1).max(MAX_FEED_REPORTS) });
export type FeedRequest = z.infer<typeof FeedRequestSchema>;
export interface FeedResult {
  results: Array<{ index: number; status: 'applied'; version: number } | { index: number; status: 'rejected'; reason: string }>;
}

export interface ClientToServerEvents {
  'sync:push': (req: PushRequest, reply: (r: Reply<PushResult>) => void) => void;
  'sync:pull': (req: PullRequest, reply: (r: Reply<PullResult>) => void) => void;
  'beds:history': (req: HistoryRequest, reply: (r: Reply<HistoryResult>) => void) => void;
}

export interface ServerToClientEvents {
  'sync:poke': (poke: Poke) => void;
}
