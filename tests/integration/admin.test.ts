/**
 * The « Administration » panel's calls across real processes: a real sync server with the
 * demo accounts and workstations (the main-process services with their caches), through the
 * ConsoleApi dispatch the UI uses. Main relays to the server, which decides; the audit
 * export is built in main and recorded; the boards' exports are reported to the trail.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let arsIdf: TestClient;
let national: TestClient;
let samu75: TestClient;

beforeAll(async () => {
  tmp = tempDir('admin');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  arsIdf = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
  national = await loginClient(join(tmp.dir, 'national'), server.url, 'national');
  samu75 = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
  for (const c of [arsIdf, national, samu75]) await waitSynced(c);
}, 60_000);
afterAll(async () => {
  for (const c of [arsIdf, national, samu75]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('administration through the ConsoleApi', () => {
  it('an ARS creates and disables an account of its région; refusals come back in French with code rejected', async () => {
    const created = await arsIdf.call('admin.create', { username: 'samu92-garde', displayName: 'SAMU 92 de garde', role: 'samu:92', password: 'une phrase de passe pour la garde' });
    expect(created).toMatchObject({ username: 'samu92-garde', role: 'samu:92', territoryLabel: expect.stringContaining('SAMU 92'), disabled: false });
    expect((await arsIdf.call('admin.users', {})).map((u) => u.username)).toContain('samu92-garde');
    expect(await arsIdf.call('admin.setDisabled', { userId: created.id, disabled: true })).toMatchObject({ disabled: true });
    const refused = await arsIdf.raw('admin.create', { username: 'ars84-bis', displayName: 'ARS 84', role: 'ars:84', password: 'une phrase de passe pour la garde' });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: 'Le rôle « ars:84 » n’est pas sous votre territoire : vous n’administrez que les comptes des territoires placés sous le vôtre.' } });
    const notAdmin = await samu75.raw('admin.users', {});
    expect(notAdmin).toEqual({ ok: false, error: { code: 'rejected', message: 'Seuls les comptes nationaux et ARS administrent des comptes.' } });
    const badArgs = await arsIdf.raw('admin.setDisabled', { userId: 'pas-un-id', disabled: true });
    expect(badArgs.ok === false && badArgs.error.code).toBe('bad_args');
  });

  it('the national user pages and exports the trail (CSV and XLSX); the export is recorded; an ARS is refused', async () => {
    const page = await national.call('audit.page', { kind: 'user_change', offset: 0, limit: 10 });
    expect(page.rows.map((r) => JSON.parse(r.detail).action)).toEqual(['disable', 'create']);
    const csv = await national.call('audit.export', { kind: 'user_change', format: 'csv' });
    expect(csv.fileName).toMatch(/^journal-audit-\d{4}-\d\d-\d\d-\d{4}\.csv$/);
    expect(csv.rows).toBe(2);
    const text = Buffer.from(csv.contentBase64, 'base64').toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\ufeffN°;Date (heure de Paris);Type;Acteur;Rôle;Identifiant de l’acteur;Objet;Détails;Empreinte précédente;Empreinte');
    expect(text).toContain('Modification de compte');
    const xlsx = await national.call('audit.export', { format: 'xlsx' });
    expect(Buffer.from(xlsx.contentBase64, 'base64').subarray(0, 2).toString()).toBe('PK');
    expect(xlsx.rows).toBeGreaterThan(10);
    const exports = await national.call('audit.page', { kind: 'export', offset: 0, limit: 10 });
    expect(exports.rows.map((r) => JSON.parse(r.detail))).toEqual([
      { what: 'audit.export', format: 'xlsx', rows: xlsx.rows },
      { what: 'audit.export', format: 'csv', rows: 2 },
    ]);
    const refused = await arsIdf.raw('audit.page', { offset: 0, limit: 10 });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: 'Le journal d’audit n’est consultable que par les administrateurs nationaux.' } });
  });

  it('a board’s export made from the cache is reported to the trail', async () => {
    await samu75.call('beds.export', { format: 'csv' });
    const entry = await waitFor(async () => (await national.call('audit.page', { kind: 'export', user: 'Dr Marc Dubois', offset: 0, limit: 10 })).rows[0], 'the export entry');
    expect(entry).toMatchObject({ actorRole: 'samu:75' });
    expect(JSON.parse(entry.detail)).toEqual({ what: 'beds.export', format: 'csv' });
  });
});
