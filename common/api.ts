/**
 * ConsoleApi: the one contract between the renderer and the main-process services.
 *
 * Every call is declared here once, with the zod schema that main uses to validate its
 * arguments and the type of its answer. The Electron preload and the web-host bridge both
 * expose exactly `ConsoleApi`; main (or the web host) dispatches on the same table. No
 * channel or call name is spelled anywhere else.
 */
import { z } from 'zod';
import { MessageKind, MessageLevel, Priority, TITLE_MAX_CHARS, type CrisisEvent, type Message } from './domain/eventLog';
import type { FreshnessSettings, ReportSource, UnitReport } from './domain/beds';
import type { SessionUser } from './protocol';

/** The only two IPC channels (Electron) / socket events (web host). */
export const ipcChannels = { call: 'vigie:call', event: 'vigie:event' } as const;

/** The web host's Socket.IO path carrying the same two channels to a browser. */
export const WEB_BRIDGE_PATH = '/bridge';

declare const resultBrand: unique symbol;
/** Phantom marker carrying a call's result type. */
export interface Returns<T> {
  readonly [resultBrand]?: T;
}
const returns = <T>(): Returns<T> => ({});

interface CallDef<S extends z.ZodType, R> {
  args: S;
  result: Returns<R>;
}
const call = <S extends z.ZodType, R>(args: S, result: Returns<R>): CallDef<S, R> => ({ args, result });

const NoArgs = z.strictObject({});
const Uuid = z.string().uuid('identifiant invalide');

// ---- view types (what the renderer receives) ----

export interface SessionState {
  user: SessionUser;
  serverUrl: string;
  /** Territory keys the user may address a message to, broadest first. */
  postable: TerritoryOption[];
}

export interface TerritoryOption {
  key: string;
  label: string;
}

export interface Referential {
  regions: TerritoryOption[];
  departements: Array<TerritoryOption & { region: string }>;
}

export type SyncState = 'online' | 'offline' | 'syncing';

export interface SyncStatus {
  state: SyncState;
  /** Mutations written locally and not yet confirmed by the server. */
  pending: number;
  /** Mutations the server refused, kept until the user dismisses or fixes them. */
  rejected: number;
  lastSyncAt: string | null;
  serverUrl: string | null;
  /** Why the last connection attempt failed, in French, when offline. */
  detail: string | null;
}

export interface EventView extends CrisisEvent {
  territoryLabel: string;
  /** True while a local change to this event waits for the server. */
  pending: boolean;
  messageCount: number;
}

export interface MessageView extends Message {
  territoryLabel: string;
  pending: boolean;
  /** The consigne that replaces this one, if any (then it is superseded). */
  replacedBy: string | null;
  /** Messages that correct this one. */
  correctedBy: string[];
  ackCount: number;
  expectedAckCount: number;
  /** The user's own territory has acknowledged it (or an acknowledgement is pending). */
  ackedByMe: boolean;
  /** The user's territory is among those addressed and may acknowledge it. */
  canAck: boolean;
}

export interface AckView {
  territory: string;
  label: string;
  userName: string;
  at: string;
  pending: boolean;
}

export interface AckSummary {
  messageId: string;
  acknowledged: AckView[];
  /** Expected acknowledgers that have not acknowledged yet. */
  missing: TerritoryOption[];
}

export interface RejectedMutation {
  mutationId: number;
  name: string;
  args: unknown;
  at: string;
  reason: string;
}

export interface MutationReceipt {
  mutationId: number;
  /** The id of the created row, where the call creates one. */
  id?: string;
}

// ---- beds (ROR+) ----

/** A unit's current figures with what the views need to place and name it. */
export interface UnitView extends UnitReport {
  /** A local report not yet confirmed by the server is shown on top. */
  pending: boolean;
  establishmentName: string;
  city: string;
  dep: string;
  region: string;
  lat: number | null;
  lon: number | null;
}

/** A unit's identity: one unit type in one establishment. */
export interface UnitRef {
  finess: string;
  unitType: string;
}

/**
 * The units whose visible figures changed since a counter value main gave before (a local
 * change counter per unit: a server row, a pending report, an overlay row gone each bump it).
 * `full`: the answer is the whole picture (asked from 0, or from a counter this cache never
 * gave): replace, do not merge.
 */
/**
 * What changed in an event's filtered message list since a cursor (`messages.changes`): the
 * changed messages that match the filter, the ids the view must drop (gone or no longer
 * matching), and the cursor to ask from next. `full`: `messages` is the whole list.
 */
export interface MessageChanges {
  full: boolean;
  messages: MessageView[];
  removed: string[];
  cursor: number;
}

export interface UnitChangesView {
  full: boolean;
  units: UnitView[];
  /** Units no longer in the picture (a first report the server refused). */
  removed: UnitRef[];
  /** Ask from this value next time. */
  cursor: number;
}

// ---- unit changes on the wire ----

/** A unit's report and its pending flag (1: a local report not yet confirmed). */
export type UnitWireRow = [
  id: string,
  finess: string,
  unitType: string,
  installed: number,
  staffed: number,
  available: number,
  covidPos: number | null,
  covidNeg: number | null,
  extra24h: number | null,
  extra72h: number | null,
  comment: string,
  source: ReportSource,
  reportedBy: string,
  reportedRole: string,
  at: string,
  version: number,
  pending: 0 | 1,
];

/** Where an establishment is: its FINESS first. */
export type PlaceWireRow = [finess: string, establishmentName: string, city: string, dep: string, region: string, lat: number | null, lon: number | null];

/**
 * How `beds.changes` carries unit views across the bridge: each unit as one array of its
 * report's fields in a fixed order, and each establishment's place once. A national
 * picture (18,000 units in 3,000 establishments) is then about a third of the JSON of
 * 18,000 view objects (no field names, no place repeated per unit), cheaper to serialise
 * in main and to parse in the renderer. Pure: main encodes, the renderer decodes.
 */
export interface UnitChangesWire {
  full: boolean;
  rows: UnitWireRow[];
  /** The place of every establishment that `rows` names, once each. */
  places: PlaceWireRow[];
  removed: UnitRef[];
  cursor: number;
}

export function encodeUnitChanges(c: UnitChangesView): UnitChangesWire {
  const places = new Map<string, PlaceWireRow>();
  const rows = c.units.map((u): UnitWireRow => {
    if (!places.has(u.finess)) places.set(u.finess, [u.finess, u.establishmentName, u.city, u.dep, u.region, u.lat, u.lon]);
    return [
      u.id,
      u.finess,
      u.unitType,
      u.installed,
      u.staffed,
      u.available,
      u.covidPos,
      u.covidNeg,
      u.extra24h,
      u.extra72h,
      u.comment,
      u.source,
      u.reportedBy,
      u.reportedRole,
      u.at,
      u.version,
      u.pending ? 1 : 0,
    ];
  });
  return { full: c.full, rows, places: [...places.values()], removed: c.removed, cursor: c.cursor };
}

export function decodeUnitChanges(w: UnitChangesWire): UnitChangesView {
  const places = new Map<string, PlaceWireRow>();
  for (const p of w.places) places.set(p[0], p);
  const units = w.rows.map((r): UnitView => {
    const p = places.get(r[1]);
    return {
      id: r[0],
      finess: r[1],
      unitType: r[2],
      installed: r[3],
      staffed: r[4],
      available: r[5],
      covidPos: r[6],
      covidNeg: r[7],
      extra24h: r[8],
      extra72h: r[9],
      comment: r[10],
      source: r[11],
      reportedBy: r[12],
      reportedRole: r[13],
      at: r[14],
      version: r[15],
      pending: r[16] === 1,
      establishmentName: p ? p[1] : r[1],
      city: p ? p[2] : '',
      dep: p ? p[3] : '',
      region: p ? p[4] : '',
      lat: p ? p[5] : null,
      lon: p ? p[6] : null,
    };
  });
  return { full: w.full, units, removed: w.removed, cursor: w.cursor };
}

export interface EstablishmentOption {
  finess: string;
  name: string;
  city: string;
  dep: string;
  lat: number | null;
  lon: number | null;
}

export interface UnitHistory {
  reports: UnitReport[];
  /** False when the server could not be asked (offline): only what was cached is shown. */
  complete: boolean;
}

export interface ImportLine {
  line: number;
  finess: string;
  establishmentName: string;
  unitType: string;
  installed: number;
  staffed: number;
  available: number;
}

export interface ImportPreview {
  fileName: string;
  encoding: 'utf-8' | 'latin-1';
  separator: ',' | ';';
  /** Data lines read (the header excluded). */
  lines: number;
  valid: ImportLine[];
  /** Every bad line with its number and a French reason; nothing is imported while any exist unless the user asks for the valid lines only. */
  errors: Array<{ line: number; reason: string }>;
  /** Plausible but notable (e.g. a jump of more than 4 beds): imported with confirmation. */
  warnings: Array<{ line: number; reason: string }>;
}

export interface ExportFile {
  fileName: string;
  mimeType: string;
  content: string;
}

const ImportFile = {
  fileName: z.string().min(1).max(255),
  /** The file's raw bytes, base64 (the encoding is detected: UTF-8 with or without BOM, else Latin-1). */
  contentBase64: z.string().max(28_000_000, 'fichier trop volumineux (20 Mo au plus)'),
};

const bedCount = z.number().int();
export const FreshnessSettingsSchema = z.strictObject({
  staleAfterHours: z.number().min(1).max(24 * 14),
  thresholds: z
    .strictObject({ orange: z.number().min(0).max(1), red: z.number().min(0).max(1) })
    .refine((t) => t.orange <= t.red, 'le seuil orange doit être inférieur au seuil rouge'),
});

export const MessageFilterSchema = z.strictObject({
  levels: z.array(MessageLevel).optional(),
  territory: z.string().max(60).optional(),
  kinds: z.array(MessageKind).optional(),
  priorities: z.array(Priority).optional(),
  text: z.string().max(200).optional(),
});
export type MessageFilter = z.infer<typeof MessageFilterSchema>;

export const consoleCalls = {
  'session.current': call(NoArgs, returns<SessionState | null>()),
  'session.login': call(
    z.strictObject({
      username: z.string().trim().min(1, 'identifiant requis').max(64),
      password: z.string().min(1, 'mot de passe requis').max(256),
    }),
    returns<SessionState>(),
  ),
  'session.logout': call(NoArgs, returns<null>()),
  'referential.get': call(NoArgs, returns<Referential>()),
  'events.list': call(NoArgs, returns<EventView[]>()),
  'events.open': call(
    z.strictObject({
      title: z.string().trim().min(1, 'titre requis').max(TITLE_MAX_CHARS),
      description: z.string().max(2000).optional(),
      territory: z.string().min(2).max(60),
    }),
    returns<MutationReceipt>(),
  ),
  'events.close': call(z.strictObject({ id: Uuid }), returns<MutationReceipt>()),
  'messages.list': call(
    z.strictObject({ eventId: Uuid, filter: MessageFilterSchema.optional() }),
    returns<MessageView[]>(),
  ),
  /**
   * What changed in the event's filtered list since `since` (0: everything), for the live
   * main courante; a new filter or event is read from 0.
   */
  'messages.changes': call(
    z.strictObject({ eventId: Uuid, filter: MessageFilterSchema.optional(), since: z.number().int().min(0) }),
    returns<MessageChanges>(),
  ),
  'messages.post': call(
    z.strictObject({
      eventId: Uuid,
      territory: z.string().min(2).max(60),
      kind: MessageKind,
      priority: Priority,
      body: z.string(),
      replaces: Uuid.nullable().optional(),
      corrects: Uuid.nullable().optional(),
    }),
    returns<MutationReceipt>(),
  ),
  'messages.acknowledge': call(z.strictObject({ messageId: Uuid }), returns<MutationReceipt>()),
  'messages.acks': call(z.strictObject({ messageId: Uuid }), returns<AckSummary>()),
  'sync.status': call(NoArgs, returns<SyncStatus>()),
  'sync.rejected': call(NoArgs, returns<RejectedMutation[]>()),
  'sync.dismiss': call(z.strictObject({ mutationId: z.number().int().min(1) }), returns<null>()),
  'referential.establishments': call(z.strictObject({ territory: z.string().max(60).optional() }), returns<EstablishmentOption[]>()),
  /** Current figures of every unit in the user's scope. */
  'beds.current': call(NoArgs, returns<UnitView[]>()),
  /**
   * What changed in the unit picture since `since` (0: everything), for views kept up to
   * date live; compact on the wire (`decodeUnitChanges` gives the views back).
   */
  'beds.changes': call(z.strictObject({ since: z.number().int().min(0) }), returns<UnitChangesWire>()),
  'beds.report': call(
    z.strictObject({
      finess: z.string(),
      unitType: z.string(),
      installed: bedCount,
      staffed: bedCount,
      available: bedCount,
      covidPos: bedCount.nullable().optional(),
      covidNeg: bedCount.nullable().optional(),
      extra24h: bedCount.nullable().optional(),
      extra72h: bedCount.nullable().optional(),
      comment: z.string().max(500).optional(),
      confirmJump: z.boolean().optional(),
    }),
    returns<MutationReceipt>(),
  ),
  'beds.history': call(
    z.strictObject({ finess: z.string(), unitType: z.string(), days: z.number().int().min(1).max(90).optional() }),
    returns<UnitHistory>(),
  ),
  'beds.importPreview': call(z.strictObject(ImportFile), returns<ImportPreview>()),
  'beds.importCommit': call(
    z.strictObject({ ...ImportFile, validOnly: z.boolean(), confirmJumps: z.boolean() }),
    returns<{ imported: number; skipped: number }>(),
  ),
  'beds.export': call(
    z.strictObject({ format: z.enum(['csv', 'edxl-have']), territory: z.string().max(60).optional() }),
    returns<ExportFile>(),
  ),
  'beds.settings': call(NoArgs, returns<FreshnessSettings>()),
  'beds.setSettings': call(FreshnessSettingsSchema, returns<FreshnessSettings>()),
} as const;

export type CallName = keyof typeof consoleCalls;
export type CallArgs<K extends CallName> = z.input<(typeof consoleCalls)[K]['args']>;
export type CallResult<K extends CallName> =
  (typeof consoleCalls)[K]['result'] extends Returns<infer R> ? R : never;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(consoleCalls, name);
}

export type ApiErrorCode = 'bad_args' | 'unknown_call' | 'not_logged_in' | 'rejected' | 'unreachable' | 'auth' | 'internal';

/** What crosses the bridge: never a thrown error (Electron would mangle it). */
export type CallReply<T> = { ok: true; data: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** Events main pushes to the renderer. */
export interface ConsoleEvents {
  'sync.status': SyncStatus;
  /** Local data changed (server rows arrived or a local write): views re-query (units: with `beds.changes`). */
  'data.changed': { entities: Array<'event' | 'message' | 'ack' | 'rejected' | 'unit'> };
  /** A new urgent message arrived from someone else. */
  'message.urgent': { id: string; eventId: string; body: string; authorName: string; territoryLabel: string };
  /** The server refused a mutation: shown to the user, never dropped in silence. */
  'mutation.rejected': RejectedMutation;
}
export type EventName = keyof ConsoleEvents;
export const EVENT_NAMES: readonly EventName[] = ['sync.status', 'data.changed', 'message.urgent', 'mutation.rejected'];

/** The whole surface the renderer sees as `window.vigie`. */
export interface ConsoleApi {
  call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReply<CallResult<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void;
}
