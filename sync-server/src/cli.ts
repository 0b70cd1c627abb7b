/**
 * Command line entry of the sync server.
 *
 *   npx tsx sync-server/src/cli.ts [--port 4100] [--host 127.0.0.1] [--db <file>] [--demo] [--trusted-proxy <address|CIDR|loopback>]…
 *       [--redis redis://host:port]
 *       [--log-file <file>] [--log-format json|pretty] [--tls-cert <pem> --tls-key <pem>] [--insecure-allow-plain]
 *   VIGIE_NEW_PASSWORD=… npx tsx sync-server/src/cli.ts [--db <file>] --add-user <username> --role <role> --name "<display name>"
 *   npx tsx sync-server/src/cli.ts [--db <file>] --add-feed-key "<label>" --territory <FR|R:xx>
 *   npx tsx sync-server/src/cli.ts [--db <file>] --disable-feed-key <key id>
 *   npx tsx sync-server/src/cli.ts [--db <file>] --disable-user <username> | --enable-user <username>
 *   npx tsx sync-server/src/cli.ts [--db <file>] --new-epoch
 *   npx tsx sync-server/src/cli.ts [--db <file>] --list-users | --rename-user <username> --name "<display name>"
 *   npx tsx sync-server/src/cli.ts [--db <file>] --verify-audit
 *   npx tsx sync-server/src/cli.ts [--db <file>] [--summary-retention-days N] --purge-summaries
 *   npx tsx sync-server/src/cli.ts [--db <file>] --reset-second-factor <username> | --revoke-sessions <username>
 *
 * `--totp-roles national,ars,samu` names the role kinds that must use TOTP (national and ARS
 * always do); with `--demo`, the demonstration accounts are waived (their password is public;
 * the app says so). `--reset-second-factor` erases an account's TOTP and recovery codes (a
 * lost phone) and ends its sessions; `--revoke-sessions` ends them all: a running server
 * cuts their sockets within a second (docs/security.md, "Connexion").
 *
 * When serving, prints exactly one line on stdout, `VIGIE_SYNC_SERVER_READY <url>`, once it
 * listens (scripts wait for it); everything else goes to stderr. `--add-user` creates the
 * account and exits without serving. `--add-feed-key` creates a register feed API key, prints
 * the key alone on stdout (the only time it is shown: only its hash is stored) and exits.
 * `--trusted-proxy` (repeatable) names the reverse proxies whose `X-Forwarded-For` gives the
 * client's address for the login brakes (docs/security.md, "Connexion"); without it the
 * header is ignored. With `--demo`, `VIGIE_DEMO_FEED_KEY` (if set) becomes a known key bound to R:11.
 * `--disable-user` ends the account's sessions at once; a running server cuts its sockets
 * within a second (its revocation poll). `--new-epoch` gives the database a new epoch, prints it
 * alone on stdout and exits: the operator runs it after restoring a backup (server stopped),
 * so every workstation rebuilds its cache from the restored history (docs/protocol.md §3).
 * `--tls-cert` and `--tls-key` (together) serve HTTPS and WSS; the ready line's url is then
 * `https://…` and the log says the certificate's SHA-256 fingerprint (what workstations pin).
 * SIGHUP reads the two files again and serves the new certificate to new connections (a
 * rotation without a restart); a bad pair is refused with a log line and the old one stays.
 * Without them, a host that is not loopback is refused unless `--insecure-allow-plain`,
 * which prints a warning on stderr and in the log (docs/security.md, "Transport").
 * `--verify-audit` walks the audit trail's hash chain: exit 0 when it holds, 3 naming the
 * first broken entry otherwise. Account changes made here are audited as the command line's.
 * `--summary-retention-days N` (default 30) is how long a finished transfer's clinical summary
 * is kept: the server erases the expired ones at start and hourly; `--purge-summaries` does
 * it once, prints the count on stdout (a line on stderr says it in French) and exits; each
 * batch erased is one audit entry of the command line's (docs/design.md, transfers).
 * `--redis redis://…` (with a PostgreSQL `--db` shared by the nodes): several nodes behind one
 * address share pokes and login brakes through Redis (sync/redisBus.ts, docs/design.md,
 * "Several sync nodes — issue 11"); an unreachable Redis is logged and the node serves anyway.
 * `--help` prints the usage in French; a bad option, a bad
 * value or an account refused by the rules prints one French line and exits 2 (no stack:
 * stacks are for failures nobody could have acted on, printed after a French line).
 * While serving, the server logs JSON lines (pino) on stderr, or in `--log-file` rotated daily
 * or past 10 MB with 7 old files kept; `--log-format pretty` prints one readable line per
 * entry instead (docs/operations.md). Administration commands print plain French lines.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, openStore } from './app';
import { MANDATORY_SECOND_FACTOR_ROLES } from './auth/authService';
import { TrustedProxies } from './auth/clientAddress';
import type { RoleKind } from '../../common/territory';
import { createFeedKey } from './beds/feedKeys';
import { DEMO_USERS, seedDemo } from './demo';
import { errorText } from './errors';
import { createServerLog } from './log';
import { checkRedisUrl } from './sync/redisBus';
import { fr } from '../../common/i18n/fr';
import { DatabaseTooNewError } from './store/migrations';
import { isPostgresUrl, PgServerStore } from './store/pg/pgStore';
import { UserExistsError } from './store/types';
import { loadServerTerritories } from './referential';
import { createUser } from './users/createUser';
import { certificateDates, checkPlainListen, loadTlsMaterial, TlsConfigError, type TlsMaterial } from './tls';
import { CLI_ACTOR } from './audit/store';
import { checkRetentionDays, DEFAULT_SUMMARY_RETENTION_DAYS, MAX_SUMMARY_RETENTION_DAYS, purgeExpiredSummaries } from './transfers/retention';

const READY_LINE_PREFIX = 'VIGIE_SYNC_SERVER_READY';
const DEFAULT_DB = './.vigie-data/server.sqlite';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string', default: '4100' },
  host: { type: 'string', default: '127.0.0.1' },
  db: { type: 'string', default: DEFAULT_DB },
  demo: { type: 'boolean', default: false },
  'trusted-proxy': { type: 'string', multiple: true },
  'add-user': { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  'add-feed-key': { type: 'string' },
  territory: { type: 'string' },
  'disable-feed-key': { type: 'string' },
  'disable-user': { type: 'string' },
  'enable-user': { type: 'string' },
  'log-file': { type: 'string' },
  'log-format': { type: 'string', default: 'json' },
  'new-epoch': { type: 'boolean', default: false },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'insecure-allow-plain': { type: 'boolean', default: false },
  'totp-roles': { type: 'string' },
  'reset-second-factor': { type: 'string' },
  'revoke-sessions': { type: 'string' },
  'verify-audit': { type: 'boolean', default: false },
  'list-users': { type: 'boolean', default: false },
  'rename-user': { type: 'string' },
  'summary-retention-days': { type: 'string' },
  'purge-summaries': { type: 'boolean', default: false },
  redis: { type: 'string' },
} as const;

const ROLE_KINDS: readonly RoleKind[] = ['national', 'ars', 'samu', 'establishment', 'field'];

/** `--totp-roles` → the role kinds that must use TOTP, always with national and ARS. */
function totpRoles(value: string | undefined): RoleKind[] {
  const kinds = new Set<RoleKind>(MANDATORY_SECOND_FACTOR_ROLES);
  if (value === undefined) return [...kinds];
  for (const part of value.split(',').map((p) => p.trim().toLowerCase())) {
    const kind = ROLE_KINDS.find((k) => k === part);
    if (!kind) throw new UsageError(fr.cli.badTotpRoles(value));
    kinds.add(kind);
  }
  return [...kinds];
}

/** `--summary-retention-days` → whole days (0 to ten years), the default when absent. */
function retentionDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SUMMARY_RETENTION_DAYS;
  if (!/^\d+$/.test(value)) throw new UsageError(fr.transfers.badRetentionDays(value, MAX_SUMMARY_RETENTION_DAYS));
  try {
    return checkRetentionDays(Number(value));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** A mistake the operator can fix from the message alone: printed as one line, exit code 2. */
class UsageError extends Error {}

/** `parseArgs`, its English errors turned into French sentences that name the option. */
function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = err instanceof Error ? err.message : String(err);
    const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(fr.cli.unknownOption(quoted.split(' ')[0]));
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(fr.cli.missingValue(quoted.split(' ')[0]));
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(fr.cli.unexpectedArgument(quoted));
    throw new UsageError(fr.cli.badOptions(message));
  }
}

/** Runs an administration command; the rules' refusals (bad role, existing user…) are usage errors. */
async function refusalsAsUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserExistsError || (err instanceof Error && err.constructor === Error)) throw new UsageError(err.message);
    throw err;
  }
}

async function main(): Promise<number> {
  const values = parseOptions(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${fr.cli.usage}\n`);
    return 0;
  }
  // A PostgreSQL url is kept as given (`--db postgres://…`); a file path is made absolute.
  const dbPath = values.db === ':memory:' || isPostgresUrl(values.db) ? values.db : resolve(values.db);
  // What the messages show: a url's password never reaches a log.
  const shownDb = isPostgresUrl(dbPath) ? withoutPassword(dbPath) : dbPath;
  const territories = loadServerTerritories();
  const summaryRetentionDays = retentionDays(values['summary-retention-days']);

  if (values['add-user'] !== undefined) {
    const password = process.env.VIGIE_NEW_PASSWORD;
    if (!password || !values.role || !values.name) {
      throw new UsageError(fr.cli.addUserNeeds);
    }
    const store = openStore(dbPath, territories);
    try {
      const user = await refusalsAsUsage(() =>
        createUser(
          store,
          territories,
          { username: values['add-user'] ?? '', password, displayName: values.name ?? '', role: values.role ?? '' },
          { audit: { kind: 'user_change', ...CLI_ACTOR, detail: { action: 'create', username: (values['add-user'] ?? '').trim(), role: values.role ?? '' } } },
        ),
      );
      log(fr.cli.userCreated(user.username, user.role, shownDb));
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['add-feed-key'] !== undefined) {
    if (!values.territory) {
      throw new UsageError(fr.cli.feedKeyNeeds);
    }
    const store = openStore(dbPath, territories);
    try {
      const territory = values.territory;
      const created = await refusalsAsUsage(() => createFeedKey(store.boards.beds, territories, { label: values['add-feed-key'] ?? '', territory }));
      process.stdout.write(`${created.key}\n`);
      log(fr.cli.feedKeyCreated(created.id, created.label, created.territory, created.role, shownDb));
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['disable-feed-key'] !== undefined) {
    const store = openStore(dbPath, territories);
    try {
      if (!(await store.boards.beds.disableFeedKey(values['disable-feed-key']))) {
        log(fr.cli.noFeedKey(values['disable-feed-key'], shownDb));
        return 1;
      }
      log(fr.cli.feedKeyDisabled(values['disable-feed-key']));
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['new-epoch']) {
    // A mistyped path would otherwise create an empty database and give it an epoch.
    if (dbPath === ':memory:' || (!isPostgresUrl(dbPath) && !existsSync(dbPath))) throw new UsageError(fr.cli.noDatabase(shownDb));
    const store = openStore(dbPath, territories);
    try {
      const before = await store.epoch();
      const epoch = await store.newEpoch();
      process.stdout.write(`${epoch}\n`);
      log(fr.cli.newEpoch(before, epoch, shownDb));
      return 0;
    } finally {
      await store.close();
    }
  }

  const factorUser = values['reset-second-factor'] ?? values['revoke-sessions'];
  if (factorUser !== undefined) {
    const reset = values['reset-second-factor'] !== undefined;
    const store = openStore(dbPath, territories);
    try {
      const user = await store.findUserByUsername(factorUser);
      if (!user) {
        log(fr.cli.noUser(factorUser, shownDb));
        return 1;
      }
      // Both end the sessions; the running server's revocation poll cuts the sockets.
      if (reset) log((await store.resetSecondFactor(user.id)) ? fr.cli.secondFactorReset(user.username) : fr.cli.noSecondFactor(user.username));
      else log(fr.cli.sessionsRevoked(user.username, await store.revokeUserSessions(user.id)));
      return 0;
    } finally {
      await store.close();
    }
  }

  const toggled = values['disable-user'] ?? values['enable-user'];
  if (toggled !== undefined) {
    const disable = values['disable-user'] !== undefined;
    const store = openStore(dbPath, territories);
    try {
      const user = await store.findUserByUsername(toggled);
      const audit = { kind: 'user_change', ...CLI_ACTOR, subject: user?.id ?? null, detail: { action: disable ? 'disable' : 'enable', username: user?.username ?? toggled, role: user?.role ?? '' } } as const;
      if (!user || !(await store.setUserDisabledAudited(user.id, disable, audit))) {
        log(fr.cli.noUser(toggled, shownDb));
        return 1;
      }
      log(disable ? fr.cli.userDisabled(user.username) : fr.cli.userEnabled(user.username));
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['verify-audit']) {
    if (dbPath === ':memory:' || (!isPostgresUrl(dbPath) && !existsSync(dbPath))) throw new UsageError(fr.cli.noDatabase(shownDb));
    const store = openStore(dbPath, territories);
    try {
      const verdict = await store.verifyAudit();
      if (verdict.ok) {
        log(fr.auditCli.ok(verdict.count));
        return 0;
      }
      process.stdout.write(`${verdict.seq}\n`);
      log(fr.auditCli.broken(verdict.seq, fr.auditCli.reasons[verdict.reason]));
      return 3;
    } finally {
      await store.close();
    }
  }

  if (values['purge-summaries']) {
    // A mistyped path would otherwise create an empty database and purge nothing, silently.
    if (dbPath === ':memory:' || (!isPostgresUrl(dbPath) && !existsSync(dbPath))) throw new UsageError(fr.cli.noServerDatabase(shownDb));
    const store = openStore(dbPath, territories);
    try {
      // No sockets here: a running server's parties get the tombstones on their next pull.
      const purged = await purgeExpiredSummaries(store.boards.transfers, { retentionDays: summaryRetentionDays, now: new Date(), actor: CLI_ACTOR });
      process.stdout.write(`${purged.length}\n`);
      log(fr.cli.summariesPurged(purged.length, summaryRetentionDays));
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['list-users']) {
    const store = openStore(dbPath, territories);
    try {
      for (const u of await store.listUsers()) process.stdout.write(`${u.username}\t${u.role}\t${u.disabled ? 'désactivé' : 'actif'}\t${u.displayName}\n`);
      return 0;
    } finally {
      await store.close();
    }
  }

  if (values['rename-user'] !== undefined) {
    const name = (values.name ?? '').trim();
    if (!name) throw new UsageError(fr.auditCli.renameNeeds);
    if (name.length > 200) throw new UsageError(fr.server.badDisplayName);
    const store = openStore(dbPath, territories);
    try {
      const user = await store.findUserByUsername(values['rename-user']);
      const audit = { kind: 'user_change', ...CLI_ACTOR, subject: user?.id ?? null, detail: { action: 'rename', username: user?.username ?? '', from: user?.displayName ?? '', to: name } } as const;
      if (!user || !(await store.setUserDisplayName(user.id, name, audit))) {
        log(fr.cli.noUser(values['rename-user'], shownDb));
        return 1;
      }
      log(fr.auditCli.userRenamed(user.username, name));
      return 0;
    } finally {
      await store.close();
    }
  }

  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) throw new UsageError(fr.cli.badPort(values.port));
  const trustedProxies = values['trusted-proxy'] ?? [];
  try {
    TrustedProxies.parse(trustedProxies);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const secondFactor = {
    requiredRoles: totpRoles(values['totp-roles']),
    // The demo accounts' password is public: a second factor on them would protect nothing.
    waivedUsernames: values.demo ? DEMO_USERS.map((u) => u.username) : [],
  };
  const redisUrl = values.redis;
  if (redisUrl !== undefined) {
    try {
      checkRedisUrl(redisUrl);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  }
  const logFormat = values['log-format'];
  if (logFormat !== 'json' && logFormat !== 'pretty') throw new UsageError(fr.cli.badLogFormat(logFormat));
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError(fr.transport.tlsPairNeeded);
  const tls: TlsMaterial | null = certFile !== undefined && keyFile !== undefined ? loadTlsMaterial(resolve(certFile), resolve(keyFile)) : null;
  const certWarning = tls && certFile !== undefined ? certificateDates(tls, certFile, new Date()).warning : null;
  // Refused before anything opens (database, log file); the warning is printed once listening.
  const plainWarning = checkPlainListen(values.host, tls !== null, values['insecure-allow-plain']);
  const serverLog = createServerLog({ format: logFormat, file: values['log-file'] ? resolve(values['log-file']) : undefined });
  const logger = serverLog.logger;
  const app = createApp({
    dbPath,
    territories,
    logger,
    trustedProxies,
    secondFactor,
    tls: tls ? { cert: tls.cert, key: tls.key } : undefined,
    allowPlain: values['insecure-allow-plain'],
    summaryRetentionDays,
    redis: redisUrl,
  });
  // Redis: a few seconds to connect, then the node serves anyway (pokes local until it is back).
  if (app.redis && !(await app.redis.firstConnection(5_000)) && redisUrl !== undefined) logger.warn(fr.cluster.redisWaiting(withoutPassword(redisUrl)));
  // PostgreSQL: fail now (unreachable, refused schema) rather than on the first request.
  if (app.store instanceof PgServerStore) await app.store.ready;
  if (values.demo) {
    await seedDemo(app);
    logger.info(fr.cli.demoReady);
  }
  const url = await app.listen(port, values.host);
  process.stdout.write(`${READY_LINE_PREFIX} ${url}\n`);
  logger.info(fr.cli.listening(url, shownDb));
  if (tls) logger.info({ fingerprint: tls.fingerprint }, fr.transport.tlsListening(tls.fingerprint, tls.validTo.toISOString().slice(0, 10)));
  if (certWarning) logger.warn(certWarning);
  // Loud: also on stderr as a plain line whatever the log's destination (`listen` logged it).
  if (plainWarning) log(plainWarning);

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      logger.info(fr.cli.closing(signal));
      app
        .close()
        .catch((err: unknown) => {
          logger.error({ err }, fr.cli.closeFailed);
        })
        .then(() => serverLog.close())
        .then(done, done);
    };
    if (tls && certFile !== undefined && keyFile !== undefined) {
      process.on('SIGHUP', () => {
        try {
          const next = loadTlsMaterial(resolve(certFile), resolve(keyFile));
          const warning = certificateDates(next, certFile, new Date()).warning;
          app.reloadTls({ cert: next.cert, key: next.key });
          logger.info({ fingerprint: next.fingerprint }, fr.transport.tlsReloaded(next.fingerprint, next.validTo.toISOString().slice(0, 10)));
          if (warning) logger.warn(warning);
        } catch (err) {
          logger.error(fr.transport.tlsReloadFailed(err instanceof Error ? err.message : String(err)));
        }
      });
    }
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

/** A PostgreSQL url without its password (`postgres://vigie:***@host/db`). */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof DatabaseTooNewError || err instanceof TlsConfigError) {
      log(err.message);
      process.exitCode = 2;
      return;
    }
    log(fr.cli.failed);
    log(errorText(err));
    process.exitCode = 1;
  },
);
