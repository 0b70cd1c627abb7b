import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { io as connect } from 'socket.io-client';
import { openServerStore } from './app';
import { tempDir, territories } from './testing/fixtures';
import { selfSignedCertificate } from './testing/tls';
import { fr } from '../../common/i18n/fr';
import { bedsHttp } from '../../common/domain/beds/protocol';
import { syncHttp, syncWire, PROTOCOL_VERSION, type SyncHello } from '../../common/protocol';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'sync-server/src/cli.ts');
// `node --import tsx`, as the systemd unit runs it: the `tsx` binary would sit in between and
// relay signals, and under load it SIGKILLs a child that does not confirm a SIGTERM within
// ~60 ms (exit 143), which is not what these tests are about.
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(check: () => string | null, ms = 20_000): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}

// Each test starts the real command line through tsx, several times for some (seconds each on
// a loaded machine): a longer limit than the suite's default.
describe('cli', { timeout: 90_000 }, () => {
  it('prints its usage in French with --help and -h, every option named, and serves nothing', async () => {
    for (const flag of ['--help', '-h']) {
      const help = run([flag]);
      expect(await help.exited).toBe(0);
      for (const option of ['--port', '--host', '--db', '--demo', '--add-user', '--role', '--name', '--add-feed-key', '--territory', '--disable-feed-key', '--disable-user', '--enable-user', '--trusted-proxy', '--log-file', '--log-format', '--new-epoch', '--tls-cert', '--tls-key', '--insecure-allow-plain', '--totp-roles', '--reset-second-factor', '--revoke-sessions', '--verify-audit', '--list-users', '--rename-user', '--summary-retention-days', '--purge-summaries', '--help'])
        expect(help.stdout()).toContain(option);
      expect(help.stdout()).toContain('Options :');
      expect(help.stdout()).not.toContain('VIGIE_SYNC_SERVER_READY http');
    }
  });

  it('refuses a bad option, a missing value, a stray argument or a bad port in one French line, exit 2, no stack', async () => {
    const cases: Array<[string[], string]> = [
      [['--bogus'], 'Option inconnue : --bogus'],
      [['--port'], 'L’option --port attend une valeur'],
      [['serve'], 'Argument inattendu : « serve »'],
      [['--port', '70000'], 'Port invalide : 70000'],
      [['--port=-1'], 'Port invalide : -1'],
      [['--port', '0', '--trusted-proxy', 'proxy.example.org'], 'Proxy de confiance invalide : « proxy.example.org »'],
    ];
    for (const [args, expected] of cases) {
      const r = run(args);
      expect(await r.exited, args.join(' ')).toBe(2);
      expect(r.stderr().trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr()).toContain(expected);
      expect(r.stdout()).toBe('');
    }
  });

  it('refuses a log format other than json or pretty in one French line, exit 2, before serving', async () => {
    const r = run(['--port', '0', '--db', ':memory:', '--log-format', 'xml']);
    expect(await r.exited).toBe(2);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
    expect(r.stderr()).toContain('Format de journal invalide : xml (attendu : json ou pretty).');
    expect(r.stdout()).toBe('');
  });

  it('prints one ready line, serves, seeds the demo, and exits cleanly on SIGTERM', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const proc = run(['--port', '0', '--db', join(t.dir, 'db', 'server.sqlite'), '--demo']);
    const url = await waitFor(() => /^VIGIE_SYNC_SERVER_READY (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(proc.stdout())?.[1] ?? null);
    expect(await (await fetch(`${url}${syncHttp.health}`)).json()).toEqual({ ok: true, version: PROTOCOL_VERSION });
    const login = await fetch(`${url}${syncHttp.login}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'pma75', password: 'demo-vigie' }),
    });
    expect(login.status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout().trim().split('\n')).toHaveLength(1);
  });

  it('with --log-file, writes JSON lines with the service, the version and the French text there, and keeps the ready line alone on stdout', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const logFile = join(t.dir, 'logs', 'sync.log');
    const proc = run(['--port', '0', '--db', join(t.dir, 'server.sqlite'), '--log-file', logFile]);
    await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout().trim().split('\n')).toHaveLength(1);
    expect(proc.stderr()).toBe('');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'info', service: 'vigie-sync', version });
    expect(String(lines[0].msg)).toContain('Serveur de synchronisation à l’écoute sur http://127.0.0.1:');
    // The drain's lines follow the signal's: the last says the sockets were closed.
    const msgs = lines.map((l) => String(l.msg));
    expect(msgs).toContain('SIGTERM : arrêt en cours.');
    expect(msgs.at(-1)).toMatch(/^Requêtes en cours terminées ; 0 connexion\(s\) fermée\(s\)/);
  });

  it('with --trusted-proxy, reads the client address from X-Forwarded-For: a spraying client is stopped, its neighbours behind the proxy are not', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const proc = run(['--port', '0', '--db', join(t.dir, 'server.sqlite'), '--demo', '--trusted-proxy', '10.0.0.0/8', '--trusted-proxy', 'loopback']);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    const login = (username: string, password: string, forwardedFor: string) =>
      fetch(`${url}${syncHttp.login}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ username, password }),
      }).then((r) => r.status);
    for (let i = 0; i < 50; i++) await login(`agent${i}`, 'Printemps2020', '198.51.100.66');
    expect(await login('samu29', 'demo-vigie', '198.51.100.66')).toBe(429);
    expect(await login('samu29', 'demo-vigie', '198.51.100.67, 10.1.2.3')).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('adds a user with the password from the environment, then exits', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'server.sqlite');
    const add = run(['--db', db, '--add-user', 'jdupont', '--role', 'samu:29', '--name', 'Dr Jeanne Dupont'], {
      VIGIE_NEW_PASSWORD: 'un-mot-de-passe',
    });
    expect(await add.exited).toBe(0);
    const bad = run(['--db', db, '--add-user', 'jdupont', '--role', 'samu:29', '--name', 'Bis'], { VIGIE_NEW_PASSWORD: 'un-mot-de-passe' });
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('existe déjà');
    expect(bad.stderr()).not.toMatch(/^\s+at /m);
    // The password policy holds on the command line; the demo's password is refused outside --demo.
    for (const [password, reason] of [
      ['demo-vigie', 'Mot de passe trop court'],
      ['demo-vigie-samu29', 'démonstration'],
      ['jdupont-urgences', 'identifiant'],
    ]) {
      const weak = run(['--db', db, '--add-user', 'jdupont2', '--role', 'samu:29', '--name', 'Bis'], { VIGIE_NEW_PASSWORD: password.replace('jdupont', 'jdupont2') });
      expect(await weak.exited, password).toBe(2);
      expect(weak.stderr(), password).toContain(reason);
      expect(weak.stderr().trim().split('\n'), password).toHaveLength(1);
    }

    const proc = run(['--port', '0', '--db', db]);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    const login = await fetch(`${url}${syncHttp.login}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'jdupont', password: 'un-mot-de-passe' }),
    });
    expect(login.status).toBe(200);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
  });

  it('creates a feed key that the running server accepts, prints only the key, and refuses a département key', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'server.sqlite');
    const add = run(['--db', db, '--add-feed-key', 'ROR Bretagne', '--territory', 'R:53']);
    expect(await add.exited).toBe(0);
    const key = add.stdout().trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const refused = run(['--db', db, '--add-feed-key', 'SAMU 29', '--territory', 'D:29']);
    expect(await refused.exited).toBe(2);
    expect(refused.stdout()).toBe('');
    expect(refused.stderr()).toContain('Territoire de clé invalide');

    const proc = run(['--port', '0', '--db', db]);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    const post = (k: string) =>
      fetch(`${url}${bedsHttp.feedUnitReports}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `ApiKey ${k}` },
        body: JSON.stringify({ reports: [{ finess: '290000058', unitType: 'REA_MEDCHIR', installed: 30, staffed: 28, available: 3 }] }),
      });
    const ok = await post(key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ results: [{ index: 0, status: 'applied', version: 1 }] });
    expect((await post(`${key}A`)).status).toBe(401);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('disables a user: the running server refuses its login and cuts its session; enabling lets it back in', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'server.sqlite');
    const proc = run(['--port', '0', '--db', db, '--demo']);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    const login = () =>
      fetch(`${url}${syncHttp.login}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu29', password: 'demo-vigie' }) });
    expect((await login()).status).toBe(200);
    const off = run(['--db', db, '--disable-user', 'samu29']);
    expect(await off.exited).toBe(0);
    expect(off.stderr()).toContain('désactivé');
    expect((await login()).status).toBe(401);
    const unknown = run(['--db', db, '--disable-user', 'personne']);
    expect(await unknown.exited).toBe(1);
    const on = run(['--db', db, '--enable-user', 'samu29']);
    expect(await on.exited).toBe(0);
    expect((await login()).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('refuses an unknown role in --totp-roles in one French line, exit 2', async () => {
    const r = run(['--port', '0', '--db', ':memory:', '--totp-roles', 'samu,pompiers']);
    expect(await r.exited).toBe(2);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
    expect(r.stderr()).toContain('Rôles invalides pour --totp-roles : « samu,pompiers »');
  });

  it('--totp-roles samu requires the second factor of SAMU accounts (demo ones waived); --revoke-sessions cuts a live socket within a second', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'server.sqlite');
    const proc = run(['--port', '0', '--db', db, '--demo', '--totp-roles', 'samu']);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    const login = async () =>
      (await (
        await fetch(`${url}${syncHttp.login}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu29', password: 'demo-vigie' }) })
      ).json()) as { token: string; secondFactorWaived?: string };
    const session = await login();
    expect(session.secondFactorWaived).toBe('demo');
    const socket = connect(url, { auth: { token: session.token, clientId: 'poste-cli-0001' }, transports: ['websocket'], reconnection: false, forceNew: true });
    cleanups.push(() => socket.close());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const cut = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
    const revoke = run(['--db', db, '--revoke-sessions', 'samu29']);
    expect(await revoke.exited).toBe(0);
    const revokedAt = Date.now();
    expect(revoke.stderr()).toContain('1 session(s) de samu29 fermée(s).');
    expect((await cut) - revokedAt).toBeLessThan(1_000);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('--new-epoch gives the database a new epoch, prints it alone and exits; the server then serves it in every hello', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'server.sqlite');
    const stored = () => {
      const raw = new Database(db, { readonly: true });
      try {
        return (raw.prepare(`SELECT value FROM server_meta WHERE key = 'epoch'`).get() as { value: string }).value;
      } finally {
        raw.close();
      }
    };
    // A mistyped path is refused: no empty database is created.
    const missing = run(['--db', db, '--new-epoch']);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toContain('Aucune base de données');
    expect(missing.stdout()).toBe('');
    const created = openServerStore(db, territories());
    const e0 = await created.epoch();
    await created.close();
    const first = run(['--db', db, '--new-epoch']);
    expect(await first.exited).toBe(0);
    const e1 = first.stdout().trim();
    expect(e1).toMatch(/^[0-9a-f-]{36}$/);
    expect(e1).not.toBe(e0);
    expect(stored()).toBe(e1);
    expect(first.stderr()).toContain('Nouvelle époque');
    const second = run(['--db', db, '--new-epoch']);
    expect(await second.exited).toBe(0);
    const e2 = second.stdout().trim();
    expect(e2).not.toBe(e1);
    expect(stored()).toBe(e2);
    expect(second.stderr()).toContain(e1);

    const proc = run(['--port', '0', '--db', db, '--demo']);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null);
    const login = await fetch(`${url}${syncHttp.login}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu29', password: 'demo-vigie' }) });
    const { token } = (await login.json()) as { token: string };
    const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token, clientId: 'client-cli-epoch-1' } });
    const hello = await new Promise<SyncHello>((resolve) => socket.once(syncWire.hello, resolve));
    socket.close();
    expect(hello).toMatchObject({ protocol: PROTOCOL_VERSION, epoch: e2, lastMutationId: 0 });
    expect(hello.head).toBeGreaterThan(0);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
  it('serves HTTPS with --tls-cert and --tls-key: the ready line says https, the log gives the fingerprint to pin', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const c = selfSignedCertificate(t.dir);
    const proc = run(['--port', '0', '--db', join(t.dir, 'server.sqlite'), '--tls-cert', c.certFile, '--tls-key', c.keyFile]);
    const url = await waitFor(() => /^VIGIE_SYNC_SERVER_READY (https:\/\/127\.0\.0\.1:\d+)\n$/.exec(proc.stdout())?.[1] ?? null);
    await waitFor(() => (proc.stderr().includes(c.fingerprint) ? 'yes' : null));
    // A client that knows nothing of this certificate is refused by its own check: TLS it is.
    await expect(fetch(`${url}${syncHttp.health}`)).rejects.toThrow();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('refuses half a TLS pair, a key of another certificate, and plain HTTP off loopback, in one French line, exit 2', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const a = selfSignedCertificate(t.dir, 'a');
    const b = selfSignedCertificate(t.dir, 'b');
    const db = join(t.dir, 'server.sqlite');
    const cases: Array<[string[], string]> = [
      [['--tls-cert', a.certFile], fr.transport.tlsPairNeeded],
      [['--tls-cert', a.certFile, '--tls-key', b.keyFile], fr.transport.keyMismatch(a.certFile, b.keyFile)],
      [['--host', '0.0.0.0'], fr.transport.plainRefused('0.0.0.0')],
    ];
    for (const [args, message] of cases) {
      const r = run(['--port', '0', '--db', db, ...args]);
      expect(await r.exited, args.join(' ')).toBe(2);
      expect(r.stderr().trim(), args.join(' ')).toBe(message);
      expect(r.stdout()).toBe('');
    }
  });

  it('with --insecure-allow-plain, listens in plain off loopback and says so loudly on stderr', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const proc = run(['--port', '0', '--db', join(t.dir, 'server.sqlite'), '--host', '0.0.0.0', '--insecure-allow-plain', '--log-format', 'pretty']);
    const url = await waitFor(() => /^VIGIE_SYNC_SERVER_READY (http:\/\/0\.0\.0\.0:\d+)\n$/.exec(proc.stdout())?.[1] ?? null);
    await waitFor(() => (proc.stderr().includes(fr.transport.plainAllowedWarning('0.0.0.0')) ? 'yes' : null));
    expect((await fetch(`http://127.0.0.1:${new URL(url).port}${syncHttp.health}`)).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('on SIGHUP, reads the certificate files again and serves the new certificate to new connections', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const a = selfSignedCertificate(t.dir, 'a');
    const b = selfSignedCertificate(t.dir, 'b');
    const [certFile, keyFile] = [join(t.dir, 'server.crt'), join(t.dir, 'server.key')];
    copyFileSync(a.certFile, certFile);
    copyFileSync(a.keyFile, keyFile);
    // One process (as the launchers run it): tsx's own CLI relays SIGINT and SIGTERM only.
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--db', join(t.dir, 'server.sqlite'), '--tls-cert', certFile, '--tls-key', keyFile, '--log-format', 'pretty'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const proc = { child, stdout: () => out, stderr: () => err, exited };
    const url = new URL(await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(proc.stdout())?.[1] ?? null));
    const presented = () =>
      new Promise<string>((resolve, reject) => {
        const s = tlsConnect({ host: '127.0.0.1', port: Number(url.port), rejectUnauthorized: false }, () => {
          resolve(s.getPeerCertificate().fingerprint256);
          s.end();
        });
        s.on('error', reject);
      });
    expect(await presented()).toBe(a.fingerprint);
    copyFileSync(b.certFile, certFile);
    copyFileSync(b.keyFile, keyFile);
    proc.child.kill('SIGHUP');
    await waitFor(() => (proc.stderr().includes(fr.transport.tlsReloaded(b.fingerprint, '').slice(0, 60)) && proc.stderr().includes(b.fingerprint) ? 'yes' : null));
    expect(await presented()).toBe(b.fingerprint);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('--verify-audit passes an intact trail, and names the first entry tampered with directly in SQLite, exit 3', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'server.sqlite');
    // Three audited account changes from the command line (create, rename, disable).
    const add = run(['--db', db, '--add-user', 'jdupont', '--role', 'samu:29', '--name', 'Dr Jeanne Dupont'], { VIGIE_NEW_PASSWORD: 'un-mot-de-passe' });
    expect(await add.exited).toBe(0);
    const rename = run(['--db', db, '--rename-user', 'jdupont', '--name', 'Dr J. Dupont']);
    expect(await rename.exited).toBe(0);
    const off = run(['--db', db, '--disable-user', 'jdupont']);
    expect(await off.exited).toBe(0);
    const list = run(['--db', db, '--list-users']);
    expect(await list.exited).toBe(0);
    expect(list.stdout()).toBe('jdupont\tsamu:29\tdésactivé\tDr J. Dupont\n');

    const intact = run(['--db', db, '--verify-audit']);
    expect(await intact.exited).toBe(0);
    expect(intact.stderr()).toContain('Journal d’audit intact : 3 entrées');

    const raw = new Database(db);
    expect(raw.prepare(`SELECT seq, actor_role AS role, json_extract(detail, '$.action') AS action FROM audit_log ORDER BY seq`).all()).toEqual([
      { seq: 1, role: 'cli', action: 'create' },
      { seq: 2, role: 'cli', action: 'rename' },
      { seq: 3, role: 'cli', action: 'disable' },
    ]);
    // The triggers stop an UPDATE; someone with the file drops them first.
    expect(() => raw.exec(`UPDATE audit_log SET detail = replace(detail, 'rename', 'create') WHERE seq = 2`)).toThrow(/append-only/);
    raw.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = replace(detail, 'rename', 'create') WHERE seq = 2`);
    raw.close();

    const broken = run(['--db', db, '--verify-audit']);
    expect(await broken.exited).toBe(3);
    expect(broken.stdout()).toBe('2\n');
    expect(broken.stderr().trim()).toBe('Journal d’audit altéré : première entrée en défaut n° 2 (son contenu ne correspond plus à son empreinte).');

    const missing = run(['--db', join(t.dir, 'absent.sqlite'), '--verify-audit']);
    expect(await missing.exited).toBe(2);
  });
});
