/**
 * A real sync server on 127.0.0.1:0 for tests, with helpers to log in over HTTP and to
 * connect real socket.io clients. Not a test file.
 */
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { createApp, type AppOptions, type SyncServerApp } from '../app';
import { DEFAULT_SESSION_TTL_MS } from '../auth/authService';
import { createUser } from '../users/createUser';
import { tempDir, territories } from './fixtures';
import { TEST_STORE, testDb } from './stores';
import type { ClientToServerEvents, LoginResponse, ServerToClientEvents } from '../../../common/protocol';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const TEST_PASSWORD = 'mot-de-passe-test';

export interface TestServer {
  app: SyncServerApp;
  url: string;
  /** The database the server runs on: a SQLite file or a PostgreSQL url (another process or node opens it with `openStore`). */
  db: string;
  logs: string[];
  /** Creates a user (real argon2 hash) and returns its username. */
  user(username: string, role: string): Promise<string>;
  login(username: string, password?: string): Promise<LoginResponse>;
  /** Connects and waits for `connect`; rejects with the `connect_error`. */
  socket(token: string, clientId: string): Promise<ClientSocket>;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const tmp = tempDir();
  const logs: string[] = [];
  // The store the run is parametrised with (`VIGIE_TEST_STORE`): a SQLite file here, or a new PostgreSQL database.
  const dbPath = TEST_STORE === 'postgres' ? (await testDb('postgres')).db : join(tmp.dir, 'server.sqlite');
  const app = createApp({
    dbPath,
    territories: territories(),
    log: (line) => logs.push(line),
    // Tests of other features log in with the password alone and move the clock by hours
    // with a socket open: no second factor, and access tokens as long as the login. The
    // session tests (`auth/*.test.ts`, `http/routes.test.ts`) pass the production values back.
    secondFactor: { requiredRoles: [] },
    accessTtlMs: DEFAULT_SESSION_TTL_MS,
    // `VIGIE_TEST_REDIS=redis://…`: the same suites with the Redis adapter and brakes (issue 11).
    // One file at a time, Redis emptied between: the brakes' counters and the poke stream are
    // shared by every server on that Redis (sync/socket.test.ts passes so).
    ...(process.env.VIGIE_TEST_REDIS ? { redis: process.env.VIGIE_TEST_REDIS } : {}),
    ...options,
  });
  const url = await app.listen(0, '127.0.0.1');
  const sockets: ClientSocket[] = [];
  return {
    app,
    url,
    db: dbPath,
    logs,
    async user(username, role) {
      await createUser(app.store, app.territories, { username, password: TEST_PASSWORD, displayName: `Agent ${username}`, role });
      return username;
    },
    async login(username, password = TEST_PASSWORD) {
      const res = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return (await res.json()) as LoginResponse;
    },
    socket(token, clientId) {
      const s: ClientSocket = connect(url, { auth: { token, clientId }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return new Promise((resolve, reject) => {
        s.once('connect', () => resolve(s));
        s.once('connect_error', (err) => reject(err));
      });
    },
    async stop() {
      for (const s of sockets) s.close();
      await app.close();
      tmp.cleanup();
    },
  };
}
