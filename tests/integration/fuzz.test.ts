/**
 * A seeded fuzz test (issue 10) over everything a stranger can send to Vigie: the socket
 * handshake, every socket event the server listens to (and names it does not), the HTTP
 * endpoints, and the main process's ConsoleApi dispatch (the one door of the IPC bridge,
 * which validates as the preload's calls are validated).
 *
 * Asserts: no crash (server alive, no unhandled rejection, no `internal` answer, no 5xx),
 * no write (the change-log head moves only by the control writer's posts and by fuzzed
 * mutations the server applied, counted), no stack and no English validation text in any
 * answer, and a control client served throughout (it pulls and receives its pokes between
 * every batch).
 *
 * The seed is printed; `VIGIE_FUZZ_SEED=<n> npx vitest run tests/integration/fuzz.test.ts`
 * replays a run.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consoleCalls } from '../../common/api';
import { adminWire, AuditQueryArgs, CreateUserArgs, ExportedArgs, RenameUserArgs, SetDisabledArgs } from '../../common/admin/api';
import { MUTATION_NAMES, mutators } from '../../common/boards';
import { bedsHttp, bedsWire, FeedRequestSchema, HistoryRequestSchema, PictureRequestSchema } from '../../common/domain/beds/protocol';
import { StockHistoryRequestSchema, StockSeriesRequestSchema, stocksWire } from '../../common/domain/stocks/protocol';
import { EnrolStartRequestSchema, LoginRequestSchema, RefreshRequestSchema, SecondFactorRequestSchema, syncHttp } from '../../common/engine/wire';
import { syncWire, type Poke } from '../../common/protocol';
import { createFeedKey } from '../../sync-server/src/beds/feedKeys';
import { DEMO_PASSWORD } from '../../sync-server/src/demo';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { TERRITORIES_PATH } from '../../sync-server/src/http/territories';
import { createUser } from '../../sync-server/src/users/createUser';
import { loginClient, rawClient, serverRows, startServer, tempDir, waitSynced, type RawSocket, type TestClient, type TestServer } from './harness';

const SEED = process.env.VIGIE_FUZZ_SEED ? Number.parseInt(process.env.VIGIE_FUZZ_SEED, 10) : Math.floor(Math.random() * 2 ** 31);
/** Payloads per target (a few thousand in all); `VIGIE_FUZZ_SCALE=10` for a longer hunt outside `npm test`. */
const SCALE = Math.max(1, Number(process.env.VIGIE_FUZZ_SCALE ?? 1) || 1);
const RUNS = { handshake: 120 * SCALE, socket: 1600 * SCALE, unknownEvents: 30, http: 900 * SCALE, ipc: 900 * SCALE } as const;

interface Loose {
  timeout(ms: number): { emitWithAck(event: string, ...payload: unknown[]): Promise<unknown> };
  emit(event: string, ...payload: unknown[]): void;
}

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let fuzzer: { socket: RawSocket; clientId: string; next: number };
let writer: { socket: RawSocket; clientId: string; next: number };
let control: { socket: RawSocket; cursor: number; pokes: Poke[] };
let ipc: TestClient;
let handshakeToken: string;
let handshakeClientId: string;
let httpToken: string;
let feedKey: string;
let headBefore = 0;
/** The control writer's last applied version: the head, unless a fuzzed payload was applied. */
let controlVersion = 0;
let fuzzApplied = 0;
/** What the fuzzed writes that were applied were (printed: each should be a valid, authorised request). */
const appliedWrites: string[] = [];
/** Accounts created, renamed or disabled by a fuzzed administration event the server accepted. */
let userWrites = 0;
let usersBefore = '';
let answers = 0;
/** The faults of the test running now (emptied before each, so a fault fails only the test that found it). */
const faults: string[] = [];
beforeEach(() => {
  faults.length = 0;
});
/** Every distinct message the fuzz read (`VIGIE_FUZZ_DUMP=<file>` writes them out for a reviewer). */
const messages = new Set<string>();
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

function head(): number {
  return Number(serverRows<{ v: number }>(server.dbPath, 'SELECT coalesce(max(version), 0) AS v FROM change_log')[0].v);
}

function users(): string {
  return JSON.stringify(serverRows(server.dbPath, 'SELECT id, username, display_name, role, disabled FROM users ORDER BY id'));
}

/** English validation text (zod's defaults) or a leaked stack; text quoted back « … » is the sender's own. */
const ENGLISH = /\b(Invalid|Too (small|big)|Unrecognized|expected|received|Required|must be|is not|undefined|TypeError|SyntaxError|Unexpected token|Cannot read)\b/;
const STACK = /\n\s+at |\bat [^\s]+ \(.*:\d+:\d+\)|node_modules|\.ts:\d+/;
function checkText(where: string, text: string): void {
  messages.add(text);
  // A message is for a person: bounded, whatever the sender's keys and values were.
  if (text.length > 2_000) faults.push(`${where}: message of ${text.length} characters: ${text.slice(0, 200)}`);
  const own = text.replace(/«[^»]*»/g, '«»').replace(/"[^"]*"/g, '""');
  if (ENGLISH.test(own) || STACK.test(text)) faults.push(`${where}: ${text.slice(0, 300)}`);
}

/** Every string of an error answer (code, message, reason, diagnostics) is checked. */
function checkStrings(where: string, value: unknown, depth = 0): void {
  if (depth > 6) return;
  if (typeof value === 'string') checkText(where, value);
  else if (Array.isArray(value)) for (const v of value) checkStrings(where, v, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) checkStrings(where, v, depth + 1);
}

/** A socket answer: `{data}` or `{error}` with a French message, never `internal`. */
function checkAnswer(where: string, r: unknown): void {
  answers++;
  if (!r || typeof r !== 'object' || (!('data' in r) && !('error' in r))) {
    faults.push(`${where}: answer of no known shape ${JSON.stringify(r)?.slice(0, 200)}`);
    return;
  }
  if ('error' in r) {
    const e = (r as { error: { code?: unknown; message?: unknown } }).error;
    if (typeof e.message !== 'string' || typeof e.code !== 'string') faults.push(`${where}: malformed error ${JSON.stringify(e).slice(0, 200)}`);
    if (e.code === 'internal') faults.push(`${where}: internal error ${String(e.message)}`);
    checkStrings(where, e);
    return;
  }
  const data = (r as { data: unknown }).data as { results?: Array<{ status: string; reason?: string }> };
  if (Array.isArray(data?.results)) {
    for (const res of data.results) {
      if (res.status === 'applied') {
        fuzzApplied++;
        appliedWrites.push(where);
      }
      if (res.reason !== undefined) checkText(`${where} (reason)`, res.reason);
    }
  }
}

/** Lines a register feed's 200 answer says it applied (`results[].status`, or FHIR `entry[].response.status` 2xx); reasons checked. */
function feedApplied(where: string, text: string): number {
  let body: { results?: Array<{ status?: string; reason?: string }>; entry?: Array<{ response?: { status?: string; outcome?: { issue?: Array<{ diagnostics?: string }> } } }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    faults.push(`${where}: 200 answer is not JSON`);
    return 0;
  }
  let n = 0;
  for (const r of body.results ?? []) {
    if (r.status === 'applied') n++;
    if (r.reason !== undefined) checkText(`${where} (reason)`, r.reason);
  }
  for (const e of body.entry ?? []) {
    if (e.response?.status?.startsWith('2')) n++;
    for (const i of e.response?.outcome?.issue ?? []) if (i.diagnostics !== undefined) checkText(`${where} (diagnostics)`, i.diagnostics);
  }
  return n;
}

/** The control client is served: a post by the writer reaches it as a poke, and its pull answers. */
async function controlServed(where: string): Promise<void> {
  const id = randomUUID();
  const m = { clientId: writer.clientId, mutationId: writer.next++, name: 'message.post', args: { id, eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: `Contrôle ${where}` }, at: new Date().toISOString() };
  const r = (await (writer.socket as unknown as Loose).timeout(10_000).emitWithAck(syncWire.push, { clientId: writer.clientId, mutations: [m] })) as { data: { results: Array<{ status: string; version: number }> } };
  expect(r.data.results[0]!.status, `control post ${where}`).toBe('applied');
  controlVersion = r.data.results[0]!.version;
  const deadline = Date.now() + 10_000;
  while (!control.pokes.some((p) => p.changes.some((c) => c.entity === 'message' && c.data.id === id))) {
    if (Date.now() > deadline) throw new Error(`control client not poked after ${where}`);
    await new Promise((res) => setTimeout(res, 10));
  }
  for (let more = true; more; ) {
    const pulled = (await (control.socket as unknown as Loose).timeout(10_000).emitWithAck(syncWire.pull, { cursor: control.cursor, limit: 5000 })) as { data: { cursor: number; more: boolean } };
    expect(pulled.data, `control pull ${where}`).toBeDefined();
    control.cursor = pulled.data.cursor;
    more = pulled.data.more;
  }
  expect(control.cursor).toBeGreaterThanOrEqual(controlVersion);
}

// --- Arbitraries: the shapes of the schemas, filled with plausible values and junk. ---

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\n\r\t', '../../etc/passwd', "'; DROP TABLE users; --", '<script>alert(1)</script>', '__proto__', 'constructor', '%00', '{{7*7}}', 'x'.repeat(20_000), '𝕍'.repeat(3_000)),
);
const plausible = fc.oneof(
  fc.uuid(),
  fc.constantFrom('FR', 'R:11', 'R:53', 'D:75', 'D:29', 'E:750100125', '~D:75', 'SR:75', 'F:75-PMA', '750100125', '290004324', '3400956100163', 'REA_MED', 'propofol', 'national', 'samu:75', 'import', 'feed', 'app'),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2020-03-20T09:15:00+01:00', 'not a date', '2020-13-45T99:99:99Z'),
);
const number = fc.oneof(fc.integer(), fc.integer({ min: -2, max: 400 }), fc.double(), fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2));
const leaf = fc.oneof(junkString, plausible, number, fc.boolean(), fc.constant(null));
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 6 }) },
  { weight: 2, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, {}, [], [[[[[]]]]], { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"polluted":1}}') as unknown) },
);
const FIELDS = [
  'id', 'eventId', 'territory', 'kind', 'priority', 'body', 'title', 'finess', 'unitType', 'unitId', 'installed', 'staffed', 'available', 'source', 'confirmJump',
  'cip13', 'lines', 'moves', 'roundId', 'reason', 'patient', 'originFiness', 'urgency', 'destFiness', 'destUnitId', 'holdId', 'summary', 'cursor', 'limit',
] as const;
const field = fc.oneof(fc.constantFrom(...FIELDS), junkString);
/** An object whose keys are real field names (mostly) and whose values are junk or plausible. */
const shaped: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(field, fc.oneof(leaf, fc.array(fc.dictionary(field, leaf, { maxKeys: 5 }), { maxLength: 3 }), fc.dictionary(field, leaf, { maxKeys: 4 })), { maxKeys: 8 });

/** The keys of a zod object schema (through wrappers), or none. */
function keysOf(schema: unknown, depth = 0): string[] {
  if (!schema || typeof schema !== 'object' || depth > 4) return [];
  const s = schema as { shape?: Record<string, unknown>; _zod?: { def?: { in?: unknown; innerType?: unknown; schema?: unknown; options?: unknown[] } } };
  if (s.shape && typeof s.shape === 'object') return Object.keys(s.shape);
  const def = s._zod?.def;
  if (!def) return [];
  for (const inner of [def.in, def.innerType, def.schema]) {
    const k = keysOf(inner, depth + 1);
    if (k.length) return k;
  }
  return Array.isArray(def.options) ? [...new Set(def.options.flatMap((o) => keysOf(o, depth + 1)))] : [];
}
/** An argument shaped like the schema: its own keys (each maybe absent) with plausible or junk values, sometimes an unknown key. */
function fromSchema(schema: unknown): fc.Arbitrary<unknown> {
  const keys = keysOf(schema);
  if (keys.length === 0) return fc.oneof(shaped, junk);
  const value = fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: shaped }, { weight: 1, arbitrary: fc.array(fc.oneof(leaf, shaped), { maxLength: 4 }) });
  const own = fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 6, arbitrary: own },
    { weight: 1, arbitrary: fc.tuple(own, junkString, leaf).map(([o, k, v]) => ({ ...o, [k]: v })) },
    { weight: 1, arbitrary: junk },
  );
}
const payload = fc.oneof({ weight: 2, arbitrary: shaped }, { weight: 1, arbitrary: junk });

/** The sentinel replaced by the fuzzer's next mutation id when sent (so the mutators run, not only the envelope check). */
const NEXT = -4_242_424;
const wellFormedMutation = fc
  .constantFrom(...MUTATION_NAMES)
  .chain((name) => fc.record({ clientId: fc.constant('$self'), mutationId: fc.constant(NEXT), name: fc.constant<string>(name), args: fromSchema(mutators[name].args), at: fc.constant('$now') }));
const junkMutation = fc.record(
  {
    clientId: fc.oneof({ weight: 4, arbitrary: fc.constant('$self') }, { weight: 1, arbitrary: junkString }),
    mutationId: fc.oneof({ weight: 4, arbitrary: fc.constant(NEXT) }, { weight: 1, arbitrary: number }),
    name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...MUTATION_NAMES) }, { weight: 1, arbitrary: junkString }),
    args: payload,
    at: fc.oneof({ weight: 4, arbitrary: fc.constant('$now') }, { weight: 1, arbitrary: fc.oneof(plausible, junk) }),
    extra: junk,
  },
  { requiredKeys: [] },
);
const pushArb = fc.oneof(
  // A valid envelope: the mutators' own validation and rules are what is fuzzed.
  { weight: 6, arbitrary: fc.record({ clientId: fc.constant('$self'), mutations: fc.array(wellFormedMutation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ clientId: fc.constant('$self'), mutations: fc.array(fc.oneof(wellFormedMutation, junkMutation), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ clientId: fc.oneof(fc.constant('$self'), junkString), mutations: fc.oneof(fc.array(junkMutation, { maxLength: 3 }), junk), extra: junk }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: junk },
);
const pullArb = fc.oneof(fc.record({ cursor: fc.oneof(number, junk), limit: fc.oneof(number, junk), extra: junk }, { requiredKeys: [] }), junk);
/** Every event the server listens to besides push and pull, with the schema its payload is checked against. */
const EVENT_SCHEMAS: ReadonlyArray<readonly [string, unknown]> = [
  [bedsWire.history, HistoryRequestSchema],
  [bedsWire.picture, PictureRequestSchema],
  [stocksWire.history, StockHistoryRequestSchema],
  [stocksWire.series, StockSeriesRequestSchema],
  [adminWire.users, null],
  [adminWire.create, CreateUserArgs],
  [adminWire.rename, RenameUserArgs],
  [adminWire.setDisabled, SetDisabledArgs],
  [adminWire.auditPage, AuditQueryArgs],
  [adminWire.exported, ExportedArgs],
];
const LISTENED = EVENT_SCHEMAS.map(([e]) => e);
const socketCase = fc.oneof(
  { weight: 6, arbitrary: fc.record({ event: fc.constant<string>(syncWire.push), payload: pushArb }) },
  { weight: 2, arbitrary: fc.record({ event: fc.constant<string>(syncWire.pull), payload: pullArb }) },
  ...EVENT_SCHEMAS.map(([event, schema]) => ({ weight: 1, arbitrary: fc.record({ event: fc.constant(event), payload: fromSchema(schema) }) })),
);
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener', 'error']);

/** `$self`, `$now` and the id sentinel become the fuzzer's own values (ids in sequence within one push). */
let nextInPush = 0;
function resolve(value: unknown, depth = 0): unknown {
  if (depth === 0) nextInPush = fuzzer.next;
  if (value === '$self') return fuzzer.clientId;
  if (value === '$now') return new Date().toISOString();
  if (value === NEXT) return nextInPush++;
  if (depth > 3 || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = Array.isArray(v) ? v.map((x) => resolve(x, depth + 1)) : resolve(v, depth + 1);
  return out;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  console.log(`fuzz seed: ${SEED} (replay: VIGIE_FUZZ_SEED=${SEED})`);
  tmp = tempDir('fuzz');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  for (const username of ['fz-handshake', 'fz-http']) {
    await createUser(server.app.store, server.app.territories, { username, role: 'establishment:750100232', displayName: `Agent ${username}`, password: DEMO_PASSWORD }, { passwordPolicy: 'demo-seeding' });
  }
  // Every login before the fuzz: its failed logins fill the address's brake.
  const f = await rawClient(server.url, 'national', 'fuzz-national');
  fuzzer = { socket: f.socket, clientId: 'fuzz-national', next: 1 };
  const w = await rawClient(server.url, 'samu75', 'fuzz-writer');
  writer = { socket: w.socket, clientId: 'fuzz-writer', next: 1 };
  const c = await rawClient(server.url, 'ars-idf', 'fuzz-control');
  control = { socket: c.socket, cursor: 0, pokes: [] };
  c.socket.on(syncWire.poke, (p) => control.pokes.push(p));
  handshakeClientId = 'fuzz-handshake';
  const hs = await rawClient(server.url, 'fz-handshake', handshakeClientId);
  handshakeToken = hs.token;
  hs.socket.close();
  const h = await rawClient(server.url, 'fz-http', 'fuzz-http');
  httpToken = h.token;
  h.socket.close();
  feedKey = (await createFeedKey(server.app.store.boards.beds, server.app.territories, { label: 'Flux de test', territory: 'R:11' })).key;
  ipc = await loginClient(join(tmp.dir, 'ipc'), server.url, 'pitie');
  await waitSynced(ipc);
  await controlServed('start');
  headBefore = head();
  usersBefore = users();
  expect(headBefore).toBe(controlVersion);
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  for (const s of [fuzzer?.socket, writer?.socket, control?.socket]) s?.close();
  await ipc?.close();
  await server?.close();
  tmp?.cleanup();
});

describe(`fuzz (seed ${SEED})`, () => {
  it('the handshake refuses junk auth with a French reason, and the server keeps serving', async () => {
    const auths = fc.sample(
      fc.oneof(
        fc.record({ token: fc.oneof(fc.constant('$token'), junkString, junk), clientId: fc.oneof(fc.constant('$client'), plausible, junkString, junk), extra: junk }, { requiredKeys: [] }),
        fc.dictionary(junkString, junk, { maxKeys: 4 }),
      ),
      { seed: SEED, numRuns: RUNS.handshake },
    );
    const codes = new Set(['unauthenticated', 'bad_request', 'forbidden']);
    for (const [i, raw] of auths.entries()) {
      const auth = resolve(raw) as Record<string, unknown>;
      if (auth.token === '$token') auth.token = handshakeToken;
      if (auth.clientId === '$client') auth.clientId = handshakeClientId;
      const socket = io(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
      const outcome = await new Promise<{ ok: true } | { ok: false; message: string; code: unknown }>((res) => {
        socket.once('connect', () => res({ ok: true }));
        socket.once('connect_error', (err: Error & { data?: { code?: unknown } }) => res({ ok: false, message: err.message, code: err.data?.code }));
      });
      socket.close();
      answers++;
      if (outcome.ok) {
        if (auth.token !== handshakeToken || auth.clientId !== handshakeClientId) faults.push(`handshake ${i}: accepted ${JSON.stringify(auth).slice(0, 200)}`);
        continue;
      }
      if (!codes.has(String(outcome.code))) faults.push(`handshake ${i}: code ${String(outcome.code)} (${outcome.message})`);
      checkText(`handshake ${i}`, outcome.message);
    }
    await controlServed('handshakes');
    expect(faults).toEqual([]);
  }, 60_000 * SCALE);

  it('every socket event answers junk with a French error and applies nothing it should not', async () => {
    const cases = fc.sample(socketCase, { seed: SEED + 1, numRuns: RUNS.socket });
    const loose = fuzzer.socket as unknown as Loose;
    for (const [i, c] of cases.entries()) {
      const sent = resolve(c.payload);
      const r = await loose.timeout(10_000).emitWithAck(c.event, sent);
      checkAnswer(`${c.event} #${i} ${JSON.stringify(sent)?.slice(0, 200)}`, r);
      if ([adminWire.create, adminWire.rename, adminWire.setDisabled].includes(c.event as never) && r && typeof r === 'object' && 'data' in r) userWrites++;
      // The mutation ids the server consumed: the next fuzzed mutation runs the mutators again.
      const results = (r as { data?: { results?: Array<{ mutationId: number }> } }).data?.results;
      if (Array.isArray(results)) for (const res of results) fuzzer.next = Math.max(fuzzer.next, res.mutationId + 1);
      if (!fuzzer.socket.connected) throw new Error(`the fuzzer's socket was closed by ${c.event} #${i}`);
      if (i % 200 === 199) await controlServed(`socket batch ${i}`);
    }
    // Names the server does not listen to, the server-to-client ones included: never answered, socket kept.
    const names = fc.sample(fc.oneof(fc.constantFrom<string>(syncWire.hello, syncWire.poke, 'sync:push ', 'SYNC:PULL', 'admin:users:x', 'beds:'), fc.string({ minLength: 1, maxLength: 30 })), { seed: SEED + 2, numRuns: RUNS.unknownEvents });
    const listened = new Set<string>([syncWire.push, syncWire.pull, ...LISTENED]);
    for (const name of names) {
      if (RESERVED.has(name) || listened.has(name)) continue;
      answers++;
      const answered = await loose.timeout(100).emitWithAck(name, { cursor: 0 }).then(
        () => true,
        () => false,
      );
      if (answered) faults.push(`unknown event « ${name} » was answered`);
    }
    expect(fuzzer.socket.connected).toBe(true);
    await controlServed('socket events');
    expect(faults).toEqual([]);
  }, 120_000 * SCALE);

  it('the HTTP endpoints answer junk without a 5xx, in French, in their documented shape', async () => {
    const paths = [...Object.values(syncHttp), TERRITORIES_PATH, bedsHttp.feedUnitReports, bedsHttp.feedFhir, '/', '/api', '/api/nothing', '/api/login/', '/api/login?x=1', '/api/../api/health', '/%2e%2e/etc/passwd'];
    const BODY_SCHEMAS: Readonly<Record<string, unknown>> = {
      [syncHttp.login]: LoginRequestSchema,
      [syncHttp.loginTotp]: SecondFactorRequestSchema,
      [syncHttp.enrolStart]: EnrolStartRequestSchema,
      [syncHttp.enrolConfirm]: SecondFactorRequestSchema,
      [syncHttp.refresh]: RefreshRequestSchema,
      [bedsHttp.feedUnitReports]: FeedRequestSchema,
    };
    const bodyFor = (path: string) => {
      const json = fromSchema(BODY_SCHEMAS[path] ?? null);
      return fc.oneof(
        { weight: 4, arbitrary: json.map((v) => JSON.stringify(v) ?? '') },
        { weight: 1, arbitrary: json.map((v) => (JSON.stringify(v) ?? '{}').slice(0, -1)) },
        { weight: 1, arbitrary: junkString },
        { weight: 1, arbitrary: fc.constantFrom('', '{', '[', 'null', '"x"', '{"username":', `{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Location"}}]}`) },
        { weight: 1, arbitrary: fc.integer({ min: 17_000, max: 40_000 }).map((n) => JSON.stringify({ username: 'x'.repeat(n), password: 'y' })) },
      );
    };
    const caseArb = fc.constantFrom(...paths).chain((path) =>
      fc.record({
        path: fc.constant(path),
        method: fc.oneof({ weight: 5, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') }),
        contentType: fc.constantFrom('application/json', 'application/json', 'application/fhir+json', 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', null),
        auth: fc.constantFrom(null, '$bearer', '$apikey', 'Bearer ', 'Bearer xxx', 'ApiKey nope', 'Basic YWRtaW46YWRtaW4='),
        forwarded: fc.option(fc.constantFrom('1.2.3.4', '127.0.0.1, 10.0.0.1', 'junk', ''), { nil: null }),
        body: bodyFor(path),
      }),
    );
    const cases = fc.sample(caseArb, { seed: SEED + 3, numRuns: RUNS.http });
    let feedWrites = 0;
    for (const [i, c] of cases.entries()) {
      const headers: Record<string, string> = {};
      if (c.contentType) headers['content-type'] = c.contentType;
      // Ending the fuzz account's login would only end that account: its token stays valid otherwise.
      if (c.auth === '$bearer') headers.authorization = `Bearer ${httpToken}`;
      else if (c.auth === '$apikey') headers.authorization = `ApiKey ${feedKey}`;
      else if (c.auth) headers.authorization = c.auth;
      if (c.forwarded !== null) headers['x-forwarded-for'] = c.forwarded;
      const withBody = c.method !== 'GET' && c.method !== 'HEAD';
      const where = `HTTP #${i} ${c.method} ${c.path} ${c.contentType ?? '-'} ${c.body.slice(0, 120)}`;
      let res: Response;
      try {
        res = await fetch(server.url + c.path, { method: c.method, headers, body: withBody ? c.body : undefined, signal: AbortSignal.timeout(10_000) });
      } catch (err) {
        // An oversized body is refused and the connection closed: the client may see the close.
        if (Buffer.byteLength(c.body) <= 16 * 1024) faults.push(`${where}: network error ${String(err)}`);
        continue;
      }
      answers++;
      const text = await res.text();
      if (res.status >= 500) faults.push(`${where}: ${res.status} ${text.slice(0, 200)}`);
      if (res.status < 400) {
        if (c.path === bedsHttp.feedUnitReports || c.path === bedsHttp.feedFhir) {
          // A 200 carries one result per line or entry: count the applied ones, check the reasons.
          const n = feedApplied(where, text);
          feedWrites += n;
          if (n > 0) appliedWrites.push(`${where} → ${res.status} ${text.slice(0, 300)}`);
        }
        continue;
      }
      if (c.method === 'HEAD') continue;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        faults.push(`${where}: ${res.status} answer is not JSON: ${text.slice(0, 200)}`);
        continue;
      }
      const fhir = body && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';
      const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
      if (!fhir && (!error || typeof error.message !== 'string' || typeof error.code !== 'string')) faults.push(`${where}: ${res.status} without the error shape: ${text.slice(0, 200)}`);
      checkStrings(where, body);
    }
    // A feed answer that accepted something is a write the head check below allows for.
    fuzzApplied += feedWrites;
    const health = await fetch(`${server.url}${syncHttp.health}`);
    expect(health.status).toBe(200);
    await controlServed('HTTP');
    expect(faults).toEqual([]);
  }, 120_000 * SCALE);

  it('the ConsoleApi dispatch (the IPC bridge’s door) answers junk with French refusals and never throws', async () => {
    // Calls that end the session, quit, point the workstation elsewhere, or read and write files by path.
    const skipped = /^(session\.(login|logout|logoutEverywhere|eraseLocalData|secondFactor)|update\.|setup\.|app\.diagnostic$)|export|import/i;
    const names = (Object.keys(consoleCalls) as string[]).filter((n) => !skipped.test(n));
    const cases = fc.sample(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...names).chain((name) => fc.record({ name: fc.constant<unknown>(name), args: fromSchema(consoleCalls[name as keyof typeof consoleCalls].args) })) },
        { weight: 1, arbitrary: fc.record({ name: junk, args: payload }) },
      ),
      { seed: SEED + 4, numRuns: RUNS.ipc },
    );
    let receipts = 0;
    for (const [i, c] of cases.entries()) {
      const where = `IPC #${i} ${String(c.name)} ${JSON.stringify(c.args)?.slice(0, 200)}`;
      let reply: unknown;
      try {
        reply = await Promise.race([ipc.services.dispatch(c.name, c.args), new Promise((_, reject) => setTimeout(() => reject(new Error('no reply in 10 s')), 10_000))]);
      } catch (err) {
        faults.push(`${where}: threw ${String(err)}`);
        continue;
      }
      answers++;
      const r = reply as { ok?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } };
      if (r.ok === true) {
        if (r.data && typeof r.data === 'object' && 'mutationId' in r.data) {
          receipts++;
          appliedWrites.push(where);
        }
        continue;
      }
      if (r.ok !== false || !r.error || typeof r.error.message !== 'string') {
        faults.push(`${where}: reply of no known shape ${JSON.stringify(reply)?.slice(0, 200)}`);
        continue;
      }
      if (r.error.code === 'internal') faults.push(`${where}: internal ${r.error.message}`);
      checkText(where, r.error.message);
    }
    // A junk call the dispatch accepted as a mutation would reach the server: counted as applied.
    fuzzApplied += receipts;
    await waitSynced(ipc);
    await controlServed('IPC');
    expect(faults).toEqual([]);
  }, 120_000 * SCALE);

  it('after it all: the server is alive, nothing was written but the control posts, and nothing went unhandled', async () => {
    expect((await fetch(`${server.url}${syncHttp.health}`)).status).toBe(200);
    await controlServed('end');
    const after = head();
    console.log(`fuzz: ${answers} payloads answered, ${fuzzApplied} fuzzed writes applied, head ${headBefore} → ${after} (seed ${SEED})`);
    for (const w of appliedWrites) console.log(`fuzz: applied ${w.slice(0, 600)}`);
    if (fuzzApplied === 0) expect(after).toBe(controlVersion);
    else expect(after).toBeGreaterThanOrEqual(controlVersion);
    expect(answers).toBeGreaterThan(3000);
    expect(unhandled).toEqual([]);
    console.log(`fuzz: ${userWrites} fuzzed account changes accepted, ${messages.size} distinct messages read`);
    if (process.env.VIGIE_FUZZ_DUMP) writeFileSync(process.env.VIGIE_FUZZ_DUMP, [...messages].sort().join('\n'));
    if (userWrites === 0) expect(users()).toBe(usersBefore);
  }, 30_000);
});
