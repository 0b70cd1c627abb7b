/**
 * Command line entry of the sync server.
 *
 *   npx tsx sync-server/src/cli.ts [--port 4100] [--host 127.0.0.1] [--db <file>] [--demo]
 *   VIGIE_NEW_PASSWORD=… npx tsx sync-server/src/cli.ts [--db <file>] --add-user <username> --role <role> --name "<display name>"
 *   npx tsx sync-server/src/cli.ts [--db <file>] --add-feed-key "<label>" --territory <FR|R:xx>
 *   npx tsx sync-server/src/cli.ts [--db <file>] --disable-feed-key <key id>
 *   npx tsx sync-server/src/cli.ts [--db <file>] --disable-user <username> | --enable-user <username>
 *
 * When serving, prints exactly one line on stdout, `VIGIE_SYNC_SERVER_READY <url>`, once it
 * listens (scripts wait for it); everything else goes to stderr. `--add-user` creates the
 * account and exits without serving. `--add-feed-key` creates a register feed API key, prints
 * the key alone on stdout (the only time it is shown: only its hash is stored) and exits.
 * With `--demo`, `VIGIE_DEMO_FEED_KEY` (if set) becomes a known key bound to R:11.
 * `--disable-user` ends the account's sessions at once; a running server cuts its sockets
 * within its session sweep (30 s).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, openServerStore } from './app';
import { createFeedKey } from './beds/feedKeys';
import { seedDemo } from './demo';
import { errorText } from './errors';
import { loadServerTerritories } from './referential';
import { createUser } from './users/createUser';

const READY_LINE_PREFIX = 'VIGIE_SYNC_SERVER_READY';
const DEFAULT_DB = './.vigie-data/server.sqlite';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: DEFAULT_DB },
      demo: { type: 'boolean', default: false },
      'add-user': { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'add-feed-key': { type: 'string' },
      territory: { type: 'string' },
      'disable-feed-key': { type: 'string' },
      'disable-user': { type: 'string' },
      'enable-user': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const dbPath = values.db === ':memory:' ? values.db : resolve(values.db);
  const territories = loadServerTerritories();

  if (values['add-user'] !== undefined) {
    const password = process.env.VIGIE_NEW_PASSWORD;
    if (!password || !values.role || !values.name) {
      log('--add-user requires --role, --name and the password in VIGIE_NEW_PASSWORD');
      return 2;
    }
    const store = openServerStore(dbPath, territories);
    try {
      const user = await createUser(store, territories, {
        username: values['add-user'],
        password,
        displayName: values.name,
        role: values.role,
      });
      log(`user ${user.username} (${user.role}) created in ${dbPath}`);
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['add-feed-key'] !== undefined) {
    if (!values.territory) {
      log('--add-feed-key requires --territory FR or R:<region>');
      return 2;
    }
    const store = openServerStore(dbPath, territories);
    try {
      const created = await createFeedKey(store.boards.beds, territories, { label: values['add-feed-key'], territory: values.territory });
      process.stdout.write(`${created.key}\n`);
      log(`feed key ${created.id} (${created.label}, ${created.territory}, role ${created.role}) created in ${dbPath}; the key is shown once`);
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['disable-feed-key'] !== undefined) {
    const store = openServerStore(dbPath, territories);
    try {
      if (!(await store.boards.beds.disableFeedKey(values['disable-feed-key']))) {
        log(`no feed key ${values['disable-feed-key']} in ${dbPath}`);
        return 1;
      }
      log(`feed key ${values['disable-feed-key']} disabled`);
      return 0;
    } finally {
      await store.close();
    }
  }

  const toggled = values['disable-user'] ?? values['enable-user'];
  if (toggled !== undefined) {
    const disable = values['disable-user'] !== undefined;
    const store = openServerStore(dbPath, territories);
    try {
      const user = await store.findUserByUsername(toggled);
      if (!user || !(await store.setUserDisabled(user.id, disable))) {
        log(`no user ${toggled} in ${dbPath}`);
        return 1;
      }
      log(disable ? `user ${user.username} disabled, its sessions ended` : `user ${user.username} enabled`);
      return 0;
    } finally {
      await store.close();
    }
  }

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    log(`invalid --port ${values.port}`);
    return 2;
  }
  const app = createApp({ dbPath, territories, log });
  if (values.demo) {
    await seedDemo(app);
    log('demo users, event log and bed reports ready');
  }
  const url = await app.listen(port, values.host);
  process.stdout.write(`${READY_LINE_PREFIX} ${url}\n`);
  log(`sync server listening on ${url}, database ${dbPath}`);

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      log(`${signal}: closing`);
      app.close().then(done, (err: unknown) => {
        log(`close failed: ${errorText(err)}`);
        done();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(errorText(err));
    process.exitCode = 1;
  },
);
