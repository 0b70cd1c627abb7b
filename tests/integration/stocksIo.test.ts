/**
 * The stocks board's import and exports across real processes: a real sync server (demo
 * accounts and counts) and real clients (main-process services, each with its own SQLite
 * cache) through the ConsoleApi dispatch the UI uses. Exports are opened back: the CSV with
 * papaparse, the XLSX with exceljs.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
const PROPOFOL_50ML = '3400956100163';
const ESMERON = '3400957152123';
const ATRACURIUM_25 = '3400957138745';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let pui: TestClient;
let national: TestClient;

beforeAll(async () => {
  tmp = tempDir('stocks-io');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  pui = await loginClient(join(tmp.dir, 'pui'), server.url, 'pui-pitie');
  national = await loginClient(join(tmp.dir, 'national'), server.url, 'national');
  for (const c of [pui, national]) await waitSynced(c);
}, 60_000);
afterAll(async () => {
  for (const c of [pui, national]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

/** A count time a few minutes ago, as a French PUI export writes it (`JJ/MM/AAAA HH:MM`, Paris). */
function countedAgo(minutes: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() - minutes * 60_000))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** exceljs' `load` is typed for an ArrayBuffer-like buffer. */
const xlsxBytes = (b64text: string): ArrayBuffer => new Uint8Array(Buffer.from(b64text, 'base64')).buffer;
const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');
const current = async (c: TestClient, finess: string, cip13: string) =>
  (await c.call('stocks.form', { finess })).molecules.flatMap((m) => m.presentations).find((p) => p.cip13 === cip13)?.current ?? null;

describe('a PUI export with errors', () => {
  const when = countedAgo(30);
  const file = [
    'FINESS;CIP13;Quantité en stock;Consommation 7j;Date',
    `${PITIE};${PROPOFOL_50ML};111;70;${when}`,
    `${PITIE};12345;5;1;${when}`,
    `${PITIE};${ESMERON};-4;1;${when}`,
    `${BICHAT};${ESMERON};50;7;${when}`,
    `${PITIE};${ATRACURIUM_25};222;14;${when}`,
  ].join('\r\n');

  it('lists every bad line with its number and reason, and imports nothing', async () => {
    const before = await current(pui, PITIE, PROPOFOL_50ML);
    const preview = await pui.call('stocks.importPreview', { fileName: 'export.csv', contentBase64: b64(file) });
    expect(preview.dataLines).toBe(5);
    expect(preview.valid).toBe(2);
    expect(preview.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(preview.errors[0].reasons.join(' ')).toContain('CIP13 invalide');
    expect(preview.errors[1].reasons.join(' ')).toContain('négative');
    // Bichat is another establishment's: the mutator's own refusal, found by the dry run.
    expect(preview.errors[2].reasons.join(' ')).toContain('votre établissement');

    const refused = await pui.raw('stocks.importCommit', { fileName: 'export.csv', contentBase64: b64(file), validOnly: false });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toContain('3 ligne(s) en erreur');
    expect(await current(pui, PITIE, PROPOFOL_50ML)).toEqual(before);
  });

  it('imports exactly the valid lines when the user keeps them, and they reach the server', async () => {
    const done = await pui.call('stocks.importCommit', { fileName: 'export.csv', contentBase64: b64(file), validOnly: true });
    expect(done).toEqual({ imported: 2, skipped: 3, reports: 1 });
    expect(await current(pui, PITIE, PROPOFOL_50ML)).toMatchObject({ onHand: 111, used7d: 70 });
    expect(await current(pui, PITIE, ATRACURIUM_25)).toMatchObject({ onHand: 222, used7d: 14 });
    await waitSynced(pui);
    expect(await server.app.store.boards.stocks.current(PITIE, PROPOFOL_50ML)).toMatchObject({ onHand: 111, source: 'pui' });
    expect(await server.app.store.boards.stocks.current(PITIE, ESMERON)).not.toMatchObject({ onHand: -4 });
  });
});

describe('a Latin-1 file from the national cell', () => {
  it('reads its accents, imports for any establishment as a correction', async () => {
    const file = ['Code établissement,Code CIP,Qté stock,Consommation journalière,Date du stock', `${BICHAT},${ESMERON},77,"3,5",${countedAgo(20).slice(0, 10)}`].join('\n');
    const preview = await national.call('stocks.importPreview', { fileName: 'bichat.csv', contentBase64: b64(file, 'latin1') });
    expect(preview.encoding).toBe('latin-1');
    expect(preview.fileErrors).toEqual([]);
    expect(preview.errors).toEqual([]);
    expect(preview.valid).toBe(1);
    await national.call('stocks.importCommit', { fileName: 'bichat.csv', contentBase64: b64(file, 'latin1'), validOnly: false, comment: 'Import du logiciel de Bichat' });
    await waitSynced(national);
    const line = await waitFor(async () => {
      const l = await server.app.store.boards.stocks.current(BICHAT, ESMERON);
      return l && l.onHand === 77 ? l : null;
    }, 'the correction on the server');
    expect(line).toMatchObject({ dailyUse: 3.5, source: 'correction', comment: 'Import du logiciel de Bichat' });
  });

  it('a file missing a required column is refused whole', async () => {
    const reply = await national.raw('stocks.importCommit', { fileName: 'x.csv', contentBase64: b64('FINESS;Date\n750100125;01/01/2020'), validOnly: true });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.message).toContain('Colonne obligatoire absente');
  });
});

describe('exports, opened back', () => {
  it('the grid as CSV: one row per establishment, the figures of the board', async () => {
    const board = await national.call('stocks.board', {});
    const file = await national.call('stocks.export', { view: 'grid', format: 'csv' });
    expect(file.fileName).toMatch(/^stocks-etablissements-.*\.csv$/);
    const text = Buffer.from(file.contentBase64, 'base64').toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
    const [header, ...rows] = parsed.data;
    expect(rows).toHaveLength(board.rows.length);
    const col = header.indexOf('Propofol — stock (unités)');
    expect(col).toBeGreaterThan(3);
    const pitie = rows.find((r) => r[2] === PITIE);
    const onBoard = board.rows.find((r) => r.finess === PITIE);
    expect(pitie?.[col]).toBe(String(onBoard?.molecules.propofol?.onHandUnits));
    const level = header.indexOf('Propofol — niveau');
    expect(rows.filter((r) => r[level] === 'rouge').length).toBe(board.rows.filter((r) => r.molecules.propofol?.level === 'red').length);
  });

  it('the grid and the pivot as XLSX: numbers stay numbers', async () => {
    const board = await national.call('stocks.board', {});
    const grid = await national.call('stocks.export', { view: 'grid', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxBytes(grid.contentBase64));
    const ws = wb.getWorksheet('Établissements');
    expect(ws?.rowCount).toBe(board.rows.length + 1);
    const header = (ws?.getRow(1).values as unknown[]).slice(1);
    const col = header.indexOf('Rocuronium — stock (unités)') + 1;
    const totalOnSheet = Array.from({ length: board.rows.length }, (_, i) => ws?.getRow(i + 2).getCell(col).value).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
    expect(totalOnSheet).toBe(board.rows.reduce((s, r) => s + (r.molecules.rocuronium?.onHandUnits ?? 0), 0));

    const pivot = await national.call('stocks.export', { view: 'pivot', format: 'xlsx' });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(xlsxBytes(pivot.contentBase64));
    const regions = new Set(board.rows.map((r) => r.region));
    expect(wb2.getWorksheet('Régions')?.rowCount).toBe(regions.size + 1);
  });
});
