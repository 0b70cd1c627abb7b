/**
 * The administrator policy: where it is looked for, how a broken file stops start-up with
 * the field named, and what each consumer reads of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy, policyLocation, PolicyError, readWorkstationPolicy, UNMANAGED, workstationPolicy } from './index';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const FULL = {
  organisation: 'ARS Île-de-France — DSI',
  server: { url: 'https://vigie.ars-idf.fr', fingerprint: 'ab'.repeat(32) },
  locked: { language: 'fr', beds: { staleAfterHours: 12 }, stocks: { red: 2 }, transfers: { holdHours: 6, unansweredAfterMinutes: 15 } },
  secrets: { allowBasicText: true },
  proxy: { mode: 'fixed', url: 'http://proxy.ars.fr:3128', bypass: ['*.ars.fr'] },
  updates: { channel: 'beta' },
  banner: { kind: 'exercice', text: 'Exercice NOVI 2026' },
  notifications: { desktop: 'off' },
};

function write(content: unknown): string {
  const file = join(dir, 'policy.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The message a broken file stops start-up with. */
function refusal(content: unknown): string {
  const file = write(content);
  try {
    loadPolicy({ file });
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as Error).message;
  }
  throw new Error('the policy was accepted');
}

describe('policy locations', () => {
  it('are the documented machine-wide files of each system', () => {
    expect(policyLocation('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Vigie\\policy.json');
    expect(policyLocation('win32', {})).toBe('C:\\ProgramData\\Vigie\\policy.json');
    expect(policyLocation('darwin', {})).toBe('/Library/Application Support/Vigie/policy.json');
    expect(policyLocation('linux', {})).toBe('/etc/vigie/policy.json');
  });

  it('no file at the machine-wide location is an unmanaged workstation', () => {
    const absent = (): string => {
      throw Object.assign(new Error('absent'), { code: 'ENOENT' });
    };
    expect(loadPolicy({ platform: 'linux', env: {}, readFile: absent })).toEqual({ policy: null, file: '/etc/vigie/policy.json' });
    const p = readWorkstationPolicy({ platform: 'linux', env: {}, readFile: absent });
    expect(p.managed).toBe(false);
    expect(p.view().managed).toBe(false);
  });

  it('VIGIE_POLICY_FILE replaces the location, and must name a file that exists', () => {
    const file = write(FULL);
    expect(loadPolicy({ env: { VIGIE_POLICY_FILE: file } }).policy?.organisation).toBe('ARS Île-de-France — DSI');
    expect(() => loadPolicy({ env: { VIGIE_POLICY_FILE: join(dir, 'absent.json') } })).toThrow(/VIGIE_POLICY_FILE désigne .*absent\.json, qui n’existe pas/);
  });

  it('an unreadable file stops start-up rather than running unmanaged', () => {
    expect(() => loadPolicy({ file: dir })).toThrow(/ne peut pas être lue \(EISDIR\)/);
  });
});

describe('a broken policy stops start-up with the field named', () => {
  it('not JSON', () => {
    expect(refusal('{ "organisation": "DSI", }')).toMatch(/n’est pas du JSON valide.*Vigie ne démarre pas sans elle/);
  });
  it('no organisation', () => {
    expect(refusal({ banner: { kind: 'crise', text: 'Crise' } })).toContain('champ « organisation » : le nom du service qui gère le poste est requis');
  });
  it('a locked stale delay out of the dialog’s range', () => {
    expect(refusal({ organisation: 'DSI', locked: { beds: { staleAfterHours: 0 } } })).toContain('champ « locked.beds.staleAfterHours »');
  });
  it('a locked hold the transfers’ dialog would refuse, with its own reason', () => {
    expect(refusal({ organisation: 'DSI', locked: { transfers: { holdHours: 48 } } })).toMatch(/champ « locked\.transfers\.holdHours » : .*24/);
  });
  it('stock thresholds in the wrong order', () => {
    expect(refusal({ organisation: 'DSI', locked: { stocks: { red: 9, orange: 3 } } })).toContain('champ « locked.stocks.orange »');
  });
  it('an unknown key (a typo is not ignored)', () => {
    expect(refusal({ organisation: 'DSI', bannner: { kind: 'crise', text: 'x' } })).toContain('bannner');
  });
  it('a server address that is not http(s), a bad fingerprint', () => {
    expect(refusal({ organisation: 'DSI', server: { url: 'ftp://vigie.fr' } })).toContain('champ « server.url » : adresse http(s) attendue');
    expect(refusal({ organisation: 'DSI', server: { url: 'https://vigie.fr', fingerprint: 'AB:CD' } })).toContain('champ « server.fingerprint » : empreinte SHA-256 attendue');
  });
  it('a fixed proxy without its address, an unknown banner kind, a language other than French', () => {
    expect(refusal({ organisation: 'DSI', proxy: { mode: 'fixed' } })).toContain('champ « proxy.url »');
    expect(refusal({ organisation: 'DSI', banner: { kind: 'test', text: 'x' } })).toContain('champ « banner.kind » : type de bandeau attendu');
    expect(refusal({ organisation: 'DSI', locked: { language: 'en' } })).toContain('champ « locked.language » : seule la langue « fr » existe');
  });
  it('a Notepad BOM is not an error', () => {
    expect(parsePolicy('\uFEFF{"organisation":"DSI"}', 'x').organisation).toBe('DSI');
  });
});

describe('what each consumer reads', () => {
  it('a full policy', () => {
    const p = workstationPolicy(parsePolicy(JSON.stringify(FULL), 'f'), 'f');
    expect(p.serverUrl('http://127.0.0.1:4100')).toBe('https://vigie.ars-idf.fr');
    expect(p.serverLocked()).toBe(true);
    expect(p.serverFingerprint()).toBe(Array(32).fill('AB').join(':'));
    expect(p.allowBasicText()).toBe(true);
    expect(p.updateChannel()).toBe('beta');
    expect(p.proxy()).toEqual({ mode: 'fixed', url: 'http://proxy.ars.fr:3128', bypass: ['*.ars.fr'] });
    expect(p.notificationsEnabled(true)).toBe(false);
    expect(p.view()).toMatchObject({ managed: true, organisation: 'ARS Île-de-France — DSI', banner: { kind: 'exercice', text: 'Exercice NOVI 2026' }, serverUrl: 'https://vigie.ars-idf.fr', notificationsUserChoice: false });
  });

  it('a minimal policy leaves the rest to the user, and forbids the keyring-less store', () => {
    const p = workstationPolicy(parsePolicy('{"organisation":"DSI"}', 'f'), 'f');
    expect(p.serverUrl('https://chosen.fr')).toBe('https://chosen.fr');
    expect(p.serverLocked()).toBe(false);
    expect(p.serverFingerprint()).toBeNull();
    expect(p.allowBasicText()).toBe(false);
    expect(p.updateChannel()).toBe('latest');
    expect(p.proxy()).toEqual({ mode: 'system' });
    expect(p.notificationsEnabled(true)).toBe(true);
    expect(p.notificationsEnabled(false)).toBe(false);
    expect(p.refusal('beds.setSettings', { staleAfterHours: 3, thresholds: { fewFree: 1 } })).toBeNull();
  });

  it('notifications forced on ignore the user’s choice', () => {
    const p = workstationPolicy(parsePolicy('{"organisation":"DSI","notifications":{"desktop":"on"}}', 'f'), 'f');
    expect(p.notificationsEnabled(false)).toBe(true);
  });

  it('unmanaged: nothing locked, the keyring-less store allowed as before', () => {
    expect(UNMANAGED.serverUrl(null)).toBeNull();
    expect(UNMANAGED.allowBasicText()).toBe(false);
    expect(UNMANAGED.updateUrl()).toBeNull();
    expect(UNMANAGED.summary()).toBe('aucune politique');
    expect(UNMANAGED.refusal('beds.setSettings', { staleAfterHours: 3, thresholds: { fewFree: 1 } })).toBeNull();
  });
});
