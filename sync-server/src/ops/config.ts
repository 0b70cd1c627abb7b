/**
 * The sync server's configuration file (`--config /etc/vigie/sync.json`): JSON, one field per
 * option of the running server, checked by zod (a typo or a bad value stops start-up with a
 * French line naming the field). Command-line flags override the file, field by field.
 * Documented field by field in docs/operations.md; `resources/server/sync.example.json` is
 * an example tested to parse.
 *
 * The file is turned into the command line's own values (flag name → string, boolean or
 * list), so every check of `cli.ts` (port, TLS pair, log format…) applies the same way to
 * both. Relative paths in the file (SQLite database, log file, TLS files) are relative to the
 * file's folder, not to wherever the service happened to start.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { fr } from '../../../common/i18n/fr';
import { MAX_SUMMARY_RETENTION_DAYS } from '../transfers/retention';
import { MAX_DRAIN_SECONDS } from './drain';

const frenchIssues = z.locales.fr().localeError;

const path = z.string().min(1);
const addresses = z.array(z.string().min(1)).min(1);

export const SyncConfigSchema = z.strictObject({
  /** SQLite file or `postgres://…` url (`--db`). */
  db: path.optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  demo: z.boolean().optional(),
  trustedProxies: addresses.optional(),
  /** Redis url for several nodes (`--redis`, issue 11). */
  redis: z.string().min(1).optional(),
  logFile: path.optional(),
  logFormat: z.enum(['json', 'pretty']).optional(),
  tlsCert: path.optional(),
  tlsKey: path.optional(),
  insecureAllowPlain: z.boolean().optional(),
  totpRoles: z.array(z.enum(['national', 'ars', 'samu', 'establishment', 'field'])).optional(),
  summaryRetentionDays: z.number().int().min(0).max(MAX_SUMMARY_RETENTION_DAYS).optional(),
  metricsAllow: addresses.optional(),
  drainSeconds: z.number().int().min(0).max(MAX_DRAIN_SECONDS).optional(),
});
export type SyncConfig = z.infer<typeof SyncConfigSchema>;

/** A configuration file refused: the French line says which file and which field. */
export class ConfigError extends Error {}

/** Values in the command line's shape: flag name (without `--`) → its value. */
export type FlagValues = Record<string, string | boolean | string[]>;

/** Reads and checks `file`; throws `ConfigError`. */
export function readConfigFile(file: string): SyncConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ConfigError(fr.ops.configUnreadable(file, code ?? (err instanceof Error ? err.message : String(err))));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(fr.ops.configNotJson(file, err instanceof Error ? err.message : String(err)));
  }
  const parsed = SyncConfigSchema.safeParse(raw, { error: frenchIssues });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') throw new ConfigError(fr.ops.configUnknownField(file, [...issue.path, issue.keys[0]].join('.')));
    throw new ConfigError(fr.ops.configBad(file, issue.path.length ? issue.path.join('.') : '(racine)', issue.message));
  }
  return parsed.data;
}

/** `config` as command-line values; relative paths resolved against `baseDir` (the file's folder). */
export function configFlags(config: SyncConfig, baseDir: string): FlagValues {
  const file = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const db = (d: string) => (d === ':memory:' || /^postgres(ql)?:\/\//i.test(d) ? d : file(d));
  const out: FlagValues = {};
  const set = (flag: string, value: string | boolean | string[] | undefined) => {
    if (value !== undefined) out[flag] = value;
  };
  set('db', config.db === undefined ? undefined : db(config.db));
  set('port', config.port === undefined ? undefined : String(config.port));
  set('host', config.host);
  set('demo', config.demo);
  set('trusted-proxy', config.trustedProxies);
  set('redis', config.redis);
  set('log-file', config.logFile === undefined ? undefined : file(config.logFile));
  set('log-format', config.logFormat);
  set('tls-cert', config.tlsCert === undefined ? undefined : file(config.tlsCert));
  set('tls-key', config.tlsKey === undefined ? undefined : file(config.tlsKey));
  set('insecure-allow-plain', config.insecureAllowPlain);
  set('totp-roles', config.totpRoles === undefined ? undefined : config.totpRoles.join(','));
  set('summary-retention-days', config.summaryRetentionDays === undefined ? undefined : String(config.summaryRetentionDays));
  set('metrics-allow', config.metricsAllow);
  set('drain-seconds', config.drainSeconds === undefined ? undefined : String(config.drainSeconds));
  return out;
}

/**
 * The command line's values with the file's underneath: a flag given on the command line
 * (`given`, from parseArgs' tokens) wins; otherwise the file's value replaces the default.
 */
export function withConfigFile<V extends object>(values: V, given: ReadonlySet<string>, file: string): V {
  const flags = configFlags(readConfigFile(file), dirname(resolve(file)));
  const merged: Record<string, unknown> = { ...(values as Record<string, unknown>) };
  for (const [flag, value] of Object.entries(flags)) {
    if (!given.has(flag)) merged[flag] = value;
  }
  return merged as V;
}
