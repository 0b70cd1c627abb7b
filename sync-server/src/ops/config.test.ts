/**
 * The configuration file: the shipped example parses, every field lands on its flag, the
 * command line overrides the file, relative paths follow the file, and a bad file is refused
 * with a French line naming the field — by the real command line too (exit 2, nothing opened).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { ConfigError, configFlags, readConfigFile, SyncConfigSchema, withConfigFile } from './config';

const ROOT = resolve(__dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'resources', 'server', 'sync.example.json');
const UNIT = join(ROOT, 'resources', 'server', 'vigie-sync.service');

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function configFile(body: unknown): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = join(t.dir, 'etc', 'sync.json');
  mkdirSync(join(t.dir, 'etc'));
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

describe('configuration file', () => {
  it('the shipped example parses and sets every field the schema knows', () => {
    const config = readConfigFile(EXAMPLE);
    expect(Object.keys(config).sort()).toEqual(Object.keys(SyncConfigSchema.shape).filter((k) => k !== 'demo' && k !== 'insecureAllowPlain').sort());
    expect(configFlags(config, '/etc/vigie')).toEqual({
      db: 'postgres://vigie@db.vigie.interne/vigie',
      host: '0.0.0.0',
      port: '4100',
      'tls-cert': '/etc/vigie/tls/sync.pem',
      'tls-key': '/etc/vigie/tls/sync.key',
      'trusted-proxy': ['10.20.0.0/24'],
      redis: 'redis://redis.vigie.interne:6379',
      'log-file': '/var/log/vigie/sync.log',
      'log-format': 'json',
      'totp-roles': 'national,ars,samu',
      'summary-retention-days': '30',
      'metrics-allow': ['loopback', '10.20.5.0/24'],
      'drain-seconds': '10',
    });
  });

  it('flags given on the command line win; the file replaces the defaults; relative paths are the file’s folder’s', () => {
    const file = configFile({ db: 'data/server.sqlite', port: 4200, logFile: '../logs/sync.log', demo: true, insecureAllowPlain: false });
    const dir = resolve(file, '..');
    const defaults = { port: '4100', host: '127.0.0.1', db: './.vigie-data/server.sqlite', demo: false, config: file };
    expect(withConfigFile(defaults, new Set(['config']), file)).toEqual({
      port: '4200',
      host: '127.0.0.1',
      db: join(dir, 'data', 'server.sqlite'),
      demo: true,
      config: file,
      'log-file': resolve(dir, '..', 'logs', 'sync.log'),
      'insecure-allow-plain': false,
    });
    expect(withConfigFile({ ...defaults, port: '5000' }, new Set(['config', 'port']), file).port).toBe('5000');
  });

  it('a bad file is refused with a French line naming the file and the field', () => {
    const refusal = (body: unknown): string => {
      const file = configFile(body);
      try {
        readConfigFile(file);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message.replace(file, '<f>');
      }
      throw new Error('accepted');
    };
    expect(refusal({ port: 70000 })).toMatch(/^Fichier de configuration <f>, champ « port » : .*65535/);
    expect(refusal({ port: '4100' })).toBe('Fichier de configuration <f>, champ « port » : Entrée invalide : nombre attendu, chaîne de caractères reçu');
    expect(refusal({ logFormat: 'xml' })).toMatch(/^Fichier de configuration <f>, champ « logFormat » : .*"json"/);
    expect(refusal({ totpRoles: ['samu', 'pompiers'] })).toMatch(/^Fichier de configuration <f>, champ « totpRoles\.1 » : /);
    expect(refusal({ dbPath: 'x.sqlite' })).toBe('Fichier de configuration <f> : champ « dbPath » inconnu.');
    expect(refusal('{"port": 4100,}')).toMatch(/^Fichier de configuration <f> : JSON invalide \(/);
    expect(() => readConfigFile('/nonexistent/vigie/sync.json')).toThrow('Fichier de configuration /nonexistent/vigie/sync.json illisible : ENOENT');
  });

  it('the command line stops at a bad file: one French line, exit 2, no database created', async () => {
    const file = configFile({ db: 'server.sqlite', drainSeconds: -1 });
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'sync-server', 'src', 'cli.ts'), '--config', file, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`Fichier de configuration ${file}, champ « drainSeconds » : `);
    expect(existsSync(join(resolve(file, '..'), 'server.sqlite'))).toBe(false);
  }, 60_000);

  it('the systemd unit runs the server with the file, unprivileged and hardened, and waits longer than the drain before SIGKILL', () => {
    const unit = readFileSync(UNIT, 'utf8');
    const directive = (name: string): string[] => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1]);
    expect(directive('ExecStart')[0]).toMatch(/\/sync-server\/src\/cli\.ts --config \/etc\/vigie\/sync\.json$/);
    expect(directive('User')).toEqual(['vigie']);
    expect(directive('KillSignal')).toEqual(['SIGTERM']);
    expect(directive('Restart')).toEqual(['on-failure']);
    for (const hardening of ['NoNewPrivileges', 'ProtectSystem', 'PrivateTmp', 'ReadWritePaths']) expect(directive(hardening)).toHaveLength(1);
    expect(directive('ProtectSystem')).toEqual(['strict']);
    // The drain ends by itself within drainSeconds (+ closing); SIGKILL comes only after.
    expect(Number(directive('TimeoutStopSec')[0])).toBeGreaterThan((readConfigFile(EXAMPLE).drainSeconds ?? 10) + 5);
    const analyze = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    if (analyze.error) console.log('systemd-analyze absent : vérification de l’unité ignorée');
    else expect(analyze.stderr.split('\n').filter((l) => l.includes('vigie-sync.service') && !/Failed to resolve user|not found|No such file/.test(l))).toEqual([]);
  });
});
