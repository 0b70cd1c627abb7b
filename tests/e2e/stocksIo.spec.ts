/**
 * The stocks board's import, exports and chart end to end, all real: a sync server with its
 * demo data, web hosts for the Pitié's pharmacy and the national cell, the built renderer in
 * Debian's Chromium. The pharmacist imports a file with errors (every bad line listed,
 * nothing imported), keeps the valid lines, then a Latin-1 file; the national cell downloads
 * the grid as CSV and XLSX (opened back) and looks at the chart of an establishment (both
 * projected stock-outs, the method) and of France. Screenshots at 1366×768 and 1920×1080.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { login, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const PITIE = '750100125';
const BICHAT = '750100232';
const PROPOFOL_50ML = '3400956100163';
const ESMERON = '3400957152123';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

let workDir = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];
let puiContext: BrowserContext;
let natContext: BrowserContext;
let pui: Page;
let nat: Page;

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-stocksio-'));
  const port = await freePort();
  server = await startSyncServer(port, join(workDir, 'server.sqlite'));
  const puiHost = await startWebHost('PUI Pitié', server.readyValue, join(workDir, 'poste-pui'));
  hosts.push(puiHost);
  const natHost = await startWebHost('National', server.readyValue, join(workDir, 'poste-national'));
  hosts.push(natHost);
  puiContext = await browser.newContext({ viewport: SIZES[1] });
  natContext = await browser.newContext({ viewport: SIZES[1], acceptDownloads: true });
  pui = await puiContext.newPage();
  nat = await natContext.newPage();
  await login(pui, puiHost.readyValue, 'pui-pitie');
  await login(nat, natHost.readyValue, 'national');
});

test.afterAll(async () => {
  await puiContext?.close();
  await natContext?.close();
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const p of [server, ...hosts]) if (p) await testInfo.attach(`${p.name} output`, { body: p.output(), contentType: 'text/plain' });
  }
});

/** A count time a few minutes ago, `JJ/MM/AAAA HH:MM`, Paris. */
function countedAgo(minutes: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() - minutes * 60_000))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** The quick form's « last count » of a presentation. */
const lastCount = async (cip13: string) => (await pui.locator(`[data-testid="stock-form-row-${cip13}"] .stock-form-last`).textContent()) ?? '';
const propofolOnHand = () => lastCount(PROPOFOL_50ML);

test('a file with errors lists every bad line and imports nothing; keeping the valid lines imports exactly them', async () => {
  await pui.keyboard.press('Alt+4');
  await expect(pui.getByTestId('stocks-tab-import')).toBeVisible();
  await pui.getByTestId('stocks-tab-form').click();
  const before = await propofolOnHand();
  await pui.getByTestId('stocks-tab-import').click();
  const when = countedAgo(10);
  const file = ['FINESS;CIP13;Quantité en stock;Consommation 7j;Date', `${PITIE};${PROPOFOL_50ML};4321;70;${when}`, `${PITIE};123;5;1;${when}`, `${BICHAT};${ESMERON};50;7;${when}`, `${PITIE};${ESMERON};12;oui;${when}`].join('\n');
  await pui.getByTestId('stocks-import-file').setInputFiles({ name: 'export-pui.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
  const errors = pui.getByTestId('stocks-import-errors');
  await expect(errors.locator('li')).toHaveCount(3);
  await expect(errors).toContainText('Ligne 3');
  await expect(errors).toContainText('CIP13 invalide');
  await expect(errors).toContainText('Ligne 4');
  await expect(errors).toContainText('votre établissement');
  await expect(errors).toContainText('Ligne 5');
  await expect(errors).toContainText('n’est pas un nombre');
  await expect(pui.getByTestId('stocks-import-commit')).toHaveCount(0);
  for (const size of SIZES) {
    await pui.setViewportSize(size);
    await shot(pui, `stocks-import-errors-${size.width}x${size.height}`);
  }
  // Nothing was imported by the preview.
  await pui.getByTestId('stocks-tab-form').click();
  expect(await propofolOnHand()).toBe(before);

  await pui.getByTestId('stocks-tab-import').click();
  await pui.getByTestId('stocks-import-file').setInputFiles({ name: 'export-pui.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
  await pui.getByTestId('stocks-import-keep-valid').click();
  await expect(pui.getByTestId('stocks-import-done')).toContainText('1 ligne(s) importée(s), 3 ignorée(s)');
  await pui.getByTestId('stocks-tab-form').click();
  await expect.poll(propofolOnHand).toMatch(/4\s?321/);
});

test('a Latin-1 file with accents in its header imports whole', async () => {
  await pui.getByTestId('stocks-tab-import').click();
  const file = ['Code établissement;Code CIP;Qté stock;Consommation journalière;Date du stock', `${PITIE};${ESMERON};765;"3,5";${countedAgo(5)}`].join('\r\n');
  await pui.getByTestId('stocks-import-file').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'latin1') });
  await expect(pui.getByTestId('stocks-import-preview')).toContainText('encodage LATIN-1');
  await expect(pui.getByTestId('stocks-import-errors')).toHaveCount(0);
  await pui.getByTestId('stocks-import-commit').click();
  await expect(pui.getByTestId('stocks-import-done')).toContainText('1 ligne(s) importée(s)');
  await pui.getByTestId('stocks-tab-form').click();
  await expect.poll(() => lastCount(ESMERON)).toContain('765');
});

test('the national cell downloads the grid as CSV and XLSX, with the rows and figures of the grid', async () => {
  await nat.keyboard.press('Alt+4');
  await expect(nat.getByTestId('stocks-grid')).toBeVisible();
  const summary = (await nat.getByTestId('stocks-summary').textContent()) ?? '';
  const establishments = Number(/^(\d+)/.exec(summary)?.[1]);
  expect(establishments).toBeGreaterThan(100);

  const [csv] = await Promise.all([nat.waitForEvent('download'), nat.getByTestId('stocks-export-grid-csv').click()]);
  const text = readFileSync((await csv.path()) ?? '', 'utf8');
  const rows = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { delimiter: ';', skipEmptyLines: true }).data;
  expect(rows).toHaveLength(establishments + 1);

  const [xlsx] = await Promise.all([nat.waitForEvent('download'), nat.getByTestId('stocks-export-grid-xlsx').click()]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await xlsx.path()) ?? '');
  const ws = wb.getWorksheet('Établissements');
  expect(ws?.rowCount).toBe(establishments + 1);
  // The same establishment, the same propofol stock in both files.
  const header = rows[0];
  const col = header.indexOf('Propofol — stock (unités)');
  const pitie = rows.findIndex((r) => r[2] === PITIE);
  expect(pitie).toBeGreaterThan(0);
  expect(String(ws?.getRow(pitie + 1).getCell(col + 1).value)).toBe(rows[pitie][col]);
});

test('the chart shows an establishment’s stock and use over time with both projected stock-outs, explained, and France’s', async () => {
  await nat.getByTestId('stocks-tab-chart').click();
  await nat.getByTestId('stocks-chart-place').selectOption(`E:${PITIE}`);
  await nat.getByTestId('stocks-chart-molecule').selectOption('cisatracurium');
  await expect(nat.getByTestId('stocks-chart-canvas').locator('canvas')).toBeVisible();
  // Two projections: at the observed use, and following the Pitié's rising COVID+ occupancy (demo history).
  await expect(nat.getByTestId('stocks-chart-stockout')).toContainText(/Rupture prévue le .* au rythme de consommation observé|Pas de rupture/);
  await expect(nat.getByTestId('stocks-chart-stockout-occupancy')).toContainText(/Rupture prévue le .* en suivant l’occupation COVID\+ en soins critiques \(en hausse\)/);
  // Both are drawn (the legend names them) and the method opens beside the chart with this place's figures.
  await expect(nat.getByTestId('stocks-chart').locator('.u-legend')).toContainText('Stock projeté (consommation observée)');
  await expect(nat.getByTestId('stocks-chart').locator('.u-legend')).toContainText('Stock projeté (occupation COVID+)');
  await nat.getByTestId('stocks-chart-method').locator('summary').click();
  await expect(nat.getByTestId('stocks-chart-method')).toContainText('droite des moindres carrés');
  await expect(nat.getByTestId('stocks-chart-method-figures')).toContainText('Consommation par patient COVID+');
  // The text alternative holds the days and the occupancy.
  const table = nat.getByTestId('stocks-chart-table');
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(20);
  for (const size of SIZES) {
    await nat.setViewportSize(size);
    await shot(nat, `stocks-chart-pitie-${size.width}x${size.height}`);
  }
  await nat.getByTestId('stocks-chart-molecule').selectOption('propofol');
  await nat.getByTestId('stocks-chart-place').selectOption('FR');
  await expect(nat.getByTestId('stocks-chart-canvas').locator('canvas')).toBeVisible({ timeout: 30_000 });
  await expect(nat.getByTestId('stocks-chart')).toContainText(/établissement\(s\) ayant des relevés/);
  await shot(nat, 'stocks-chart-france-1920x1080');
});

test('offline, the chart says its history is unavailable', async () => {
  await server?.stop();
  server = null;
  await expect(nat.getByTestId('sync-state')).not.toContainText('EN LIGNE', { timeout: 20_000 });
  await nat.getByTestId('stocks-chart-place').selectOption(`E:${BICHAT}`);
  await expect(nat.getByTestId('stocks-chart-offline')).toHaveText('hors ligne : historique indisponible');
});
