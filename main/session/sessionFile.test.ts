import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../store/testSupport';
import { cacheFileFor, SessionFile, type RememberedSession } from './sessionFile';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function dir(): string {
  const t = tempDir('session');
  cleanups.push(t.cleanup);
  return t.dir;
}

const session: RememberedSession = {
  serverUrl: 'http://127.0.0.1:4100',
  expiresAt: '2030-01-01T00:00:00.000Z',
  token: 'secret-token-value',
  user: { id: 'u1', username: 'samu75', displayName: 'Dr Marc Dubois', role: 'samu:75', territory: 'D:75', territoryLabel: 'SAMU 75 — Paris' },
};

describe('the remembered session', () => {
  it('round-trips, readable by its owner only', () => {
    const d = dir();
    new SessionFile(d).write(session);
    expect(new SessionFile(d).read()).toEqual(session);
    if (process.platform !== 'win32') expect(statSync(join(d, 'session.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps the token sealed at rest when the host offers a secret box', () => {
    const d = dir();
    const box = { seal: (s: string) => Buffer.from(s).toString('base64').split('').reverse().join(''), open: (s: string) => Buffer.from(s.split('').reverse().join(''), 'base64').toString() };
    new SessionFile(d, box).write(session);
    expect(readFileSync(join(d, 'session.json'), 'utf8')).not.toContain('secret-token-value');
    expect(new SessionFile(d, box).read()?.token).toBe('secret-token-value');
    // Without the box (another host, another OS account) a sealed token cannot be used.
    expect(new SessionFile(d).read()).toBeNull();
  });

  it('treats a damaged file as no session', () => {
    const d = dir();
    writeFileSync(join(d, 'session.json'), '{"format":1,');
    expect(new SessionFile(d).read()).toBeNull();
    writeFileSync(join(d, 'session.json'), JSON.stringify({ format: 1, serverUrl: 'x' }));
    expect(new SessionFile(d).read()).toBeNull();
  });

  it('gives each user and server its own cache file', () => {
    const a = cacheFileFor('/data', 'http://127.0.0.1:4100/', 'u1');
    expect(cacheFileFor('/data', 'http://127.0.0.1:4100', 'u1')).toBe(a);
    expect(cacheFileFor('/data', 'http://127.0.0.1:4100', 'u2')).not.toBe(a);
    expect(cacheFileFor('/data', 'http://127.0.0.1:4200', 'u1')).not.toBe(a);
  });
});
