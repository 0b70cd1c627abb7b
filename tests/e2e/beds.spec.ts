/**
 * The bed board end to end, all real: a sync server on a loopback port with its own SQLite
 * file and its demo data, two web hosts (two workstations with their own data directories)
 * for the Pitié-Salpêtrière (establishment 750100125) and the ARS Île-de-France, the built
 * renderer in Debian's Chromium, one browser context each.
 *
 * One story, in order: the establishment updates its réanimation médicale unit through the
 * quick form; the ARS sees the dashboard cell (réanimation médicale × Paris) and Paris on
 * the map turn green, then red when the beds fill (a jump of more than 4 beds is confirmed);
 * then the ARS workstation's clock runs past the stale delay and the unit and every total
 * holding it say so. The figures reported are computed from what the dashboard shows, so
 * the test holds whatever the demo data puts in Paris.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { cellFigures, openBeds, swingSize, type CellFigures } from './support/beds';
import { tensionOf } from '../../common/domain/beds/totals';
import { freePort, type StartedProcess } from './support/processes';
import { login, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const FINESS = '750100125';
const TYPE = 'REA_MED';
const DEP = '75';
const STALE_HOURS = 24;

let workDir = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];
let pitieContext: BrowserContext;
let arsContext: BrowserContext;
let pitie: Page;
let ars: Page;
/** The size of the swing that turns both the unit type's cell and the réanimation total of Paris green, then red. */
let size = 0;
/** What the Pitié's unit held before the test (zeros if it had none). */
let before = { installed: 0, staffed: 0, available: 0 };

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-beds-'));
  const port = await freePort();
  server = await startSyncServer(port, join(workDir, 'server.sqlite'));
  const pitieHost = await startWebHost('Pitié-Salpêtrière', server.readyValue, join(workDir, 'poste-pitie'));
  hosts.push(pitieHost);
  const arsHost = await startWebHost('ARS IdF', server.readyValue, join(workDir, 'poste-ars-idf'));
  hosts.push(arsHost);

  pitieContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  arsContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  pitie = await pitieContext.newPage();
  ars = await arsContext.newPage();
  // The ARS workstation's clock is Playwright's, so that the test can age the figures.
  await ars.clock.install();
  await login(pitie, pitieHost.readyValue, 'pitie');
  await login(ars, arsHost.readyValue, 'ars-idf');
});

test.afterAll(async () => {
  await pitieContext?.close();
  await arsContext?.close();
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const p of [server, ...hosts]) if (p) await testInfo.attach(`${p.name} output`, { body: p.output(), contentType: 'text/plain' });
  }
});

const typeCell = (page: Page) => page.getByTestId(`dashboard-cell-${TYPE}-${DEP}`);
const groupCell = (page: Page) => page.getByTestId(`dashboard-cell-group-reanimation-${DEP}`);
const mapDep = (page: Page) => page.getByTestId(`map-dep-${DEP}`);
/** The form line of the unit under test: its type's code, or `new-1` when the test had to add it. */
let rowKey = TYPE;
const formInput = (field: string) => pitie.getByTestId(`unit-form-${rowKey}-${field}`);

/** What a total holds without the unit under test (which it counted if the unit existed). */
function minus(a: CellFigures, b: { available: number; staffed: number }, hadUnit: boolean): CellFigures {
  return { available: a.available - b.available, staffed: a.staffed - b.staffed, units: a.units - (hadUnit ? 1 : 0) };
}
/** What the other units of the type's cell and of the réanimation total hold. */
let others: CellFigures[] = [];

/** Types the three figures of the unit and sends them with Entrée, confirming a jump when asked. */
async function report(installed: number, staffed: number, available: number, expectJump: boolean): Promise<void> {
  await formInput('installed').fill(String(installed));
  await formInput('staffed').fill(String(staffed));
  await formInput('available').fill(String(available));
  await formInput('available').press('Enter');
  if (expectJump) {
    const dialog = pitie.getByTestId('jump-confirm');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('plus de 4 lits');
    // A reflex Entrée goes back to the entry: confirming is deliberate (tick, then confirm).
    await expect(dialog.getByTestId('jump-cancel')).toBeFocused();
    await expect(dialog.getByTestId('jump-confirm-ok')).toBeDisabled();
    await shot(pitie, 'beds-jump-confirm');
    await dialog.getByTestId('jump-confirm-check').check();
    await dialog.getByTestId('jump-confirm-ok').click();
    await expect(dialog).toHaveCount(0);
  }
  await expect(pitie.getByTestId('unit-form-status')).toContainText('enregistrée');
  // Sent: the line is the unit's own now, keyed by its id.
  rowKey = TYPE;
}

test('the establishment sees its quick form, the ARS its territory read-only', async () => {
  await openBeds(pitie, 'form');
  await expect(pitie.getByTestId('unit-form')).toBeVisible();
  await openBeds(ars, 'dashboard');
  await expect(ars.getByTestId('dashboard-table')).toBeVisible();
  await expect(ars.getByTestId('beds-tab-form')).toHaveCount(0);
  await expect(ars.getByTestId('unit-form')).toHaveCount(0);
  // The eight départements of Île-de-France are the columns; réanimation, soins intensifs and
  // surveillance continue are totalled apart, never summed into one figure.
  for (const dep of ['75', '77', '78', '91', '92', '93', '94', '95']) await expect(ars.getByTestId(`dashboard-cell-group-reanimation-${dep}`)).toBeVisible();
  await expect(ars.locator('[data-testid^="dashboard-total-"]')).toHaveCount(0);

  if ((await formInput('available').count()) === 0) {
    await pitie.getByTestId('unit-form-add').selectOption(TYPE);
    rowKey = 'new-1';
  } else {
    before = {
      installed: Number(await formInput('installed').inputValue()),
      staffed: Number(await formInput('staffed').inputValue()),
      available: Number(await formInput('available').inputValue()),
    };
  }
  await expect(formInput('available')).toBeVisible();
  const hadUnit = rowKey === TYPE;
  others = [minus(await cellFigures(typeCell(ars)), before, hadUnit), minus(await cellFigures(groupCell(ars)), before, hadUnit)];
  size = swingSize(others);
  expect(size).toBeLessThanOrEqual(300);
});

test('plausibility is checked at entry, in French, and nothing is sent', async () => {
  await formInput('installed').fill('10');
  await formInput('staffed').fill('3');
  await formInput('available').fill('5');
  await formInput('available').press('Enter');
  await expect(pitie.getByTestId(`unit-form-${rowKey}-errors`)).toContainText('Lits disponibles (5) supérieurs aux lits armés (3)');
  await expect(pitie.getByTestId('jump-confirm')).toHaveCount(0);
  await shot(pitie, 'beds-form-plausibility');
});

test('a report from the establishment turns the ARS dashboard cell and the map green, live', async () => {
  const jump = Math.max(Math.abs(size - before.installed), Math.abs(size - before.staffed), Math.abs(size - before.available));
  await report(size, size, size, before.installed + before.staffed > 0 && jump > 4);
  await expect(typeCell(ars)).toHaveAttribute('data-tension', 'green');
  await expect(groupCell(ars)).toHaveAttribute('data-tension', 'green');
  await ars.getByTestId('beds-tab-map').click();
  await expect(mapDep(ars)).toHaveAttribute('data-tension', 'green');
  await shot(pitie, 'beds-form');
});

test('two reflex Entrées never confirm a typo: the dialog opens on « Revenir à la saisie », nothing is sent', async () => {
  const typo = size + 100;
  expect(typo).toBeLessThanOrEqual(300);
  await formInput('installed').fill(String(typo));
  await formInput('installed').press('Enter');
  const dialog = pitie.getByTestId('jump-confirm');
  await expect(dialog).toContainText(`Installés : ${size} → ${typo}`);
  await pitie.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  // Back on the figure that jumped, selected for retyping; the unit still holds what it held.
  await expect(formInput('installed')).toBeFocused();
  await expect(pitie.getByTestId(`unit-form-row-${rowKey}`)).toContainText(`${size} / ${size} / ${size}`);
  await expect(pitie.getByTestId('unit-form-status')).toHaveCount(0);
  await pitie.keyboard.type(String(size));
  await expect(formInput('installed')).toHaveValue(String(size));
});

test('the beds fill: a jump of more than 4 beds is confirmed, the unit turns red and every total takes its free beds, live', async () => {
  // The ARS keeps the map on screen: the colour changes without any action on its side.
  // Paris keeps the free beds of its other units: its colour is theirs now (red only if none is free).
  await report(size, size, 0, true);
  await expect(mapDep(ars)).toHaveAttribute('data-tension', tensionOf({ ...others[1], units: others[1].units + 1 }));
  await shot(ars, 'beds-map');
  await ars.getByTestId('beds-tab-dashboard').click();
  await expect(typeCell(ars)).toHaveAttribute('data-tension', tensionOf({ ...others[0], units: others[0].units + 1 }));
  expect(await cellFigures(typeCell(ars))).toEqual({ ...others[0], staffed: others[0].staffed + size, units: others[0].units + 1 });
  await expect(typeCell(ars)).toHaveAttribute('data-stale-units', /\d+/);
  await shot(ars, 'beds-dashboard');

  // A cell opens its département on the map: the establishments as points, their units listed.
  await typeCell(ars).click();
  await expect(ars.getByTestId('beds-tab-map')).toHaveAttribute('aria-selected', 'true');
  await expect(ars.getByTestId(`map-unit-${FINESS}:${TYPE}`)).toHaveAttribute('data-tension', 'red');
  await expect(ars.getByTestId('bed-map')).toContainText('Hôpital Pitié-Salpêtrière');
  await shot(ars, 'beds-map-drill');
  await ars.getByTestId('map-back').click();
  await expect(mapDep(ars)).toBeVisible();

  // The grid: the unit under Île-de-France → Paris → the Pitié, fresh.
  await ars.getByTestId('beds-tab-grid').click();
  // `/` searches the beds on this board (the main courante's search stays where it is).
  await ars.getByTestId('beds-grid').click();
  await ars.keyboard.press('/');
  await expect(ars.getByTestId('beds-filter-text')).toBeFocused();
  await ars.keyboard.type('pitie salpetriere');
  const row = ars.getByTestId('beds-grid').locator('.ag-row', { has: ars.getByTestId(`bed-row-U:${FINESS}:${TYPE}`) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(String(size));
  await expect(row.getByTestId('stale-badge')).toHaveCount(0);
  await expect(row).toContainText(/à l’instant|il y a \d+ min/);
  // Keyboard: Entrée on a group closes it and opens it again.
  await ars.getByTestId(`bed-row-E:${FINESS}`).locator('.bed-label').click();
  await ars.keyboard.press('Enter');
  await expect(row).toHaveCount(0);
  await ars.keyboard.press('Enter');
  await expect(row).toBeVisible();

  // Its history: the two reports of this test at least, as a chart.
  await row.click();
  await expect(ars.getByTestId('unit-history')).toContainText(/\d+ relevés/);
  await expect(ars.getByTestId('unit-history').locator('svg path.line-available')).toHaveCount(1);

  // A live report flashes the changed figure in the ARS grid (on the unit row).
  await report(size, size, 1, false);
  await expect(row.locator('.ag-cell[col-id="available"]')).toHaveText('1');
  await expect(row.locator('.ag-cell[col-id="available"].ag-cell-data-changed, .ag-cell[col-id="available"].ag-cell-data-changed-animation')).toHaveCount(1);

  await ars.getByTestId('beds-filter-text').fill('');
  await shot(ars, 'beds-grid');
});

test('past the stale delay, the unit and every total holding it show that they are stale', async () => {
  await ars.clock.fastForward((STALE_HOURS + 1) * 3_600_000);
  await ars.getByTestId('beds-filter-text').fill('pitie salpetriere');
  const row = ars.getByTestId('beds-grid').locator('.ag-row', { has: ars.getByTestId(`bed-row-U:${FINESS}:${TYPE}`) });
  await expect(row.getByTestId('stale-badge')).toBeVisible();
  await expect(row).toContainText('il y a 25 h');
  // The establishment's, the département's and the region's totals count it.
  for (const group of [`E:${FINESS}`, `D:${DEP}`, 'R:11']) {
    const groupRow = ars.getByTestId('beds-grid').locator('.ag-row', { has: ars.getByTestId(`bed-row-${group}`) });
    await expect(groupRow).toContainText(/unités? périmées?/);
    await expect(groupRow).toContainText(/plus ancienne il y a \d+ h/);
  }
  await shot(ars, 'beds-grid-stale');
  await ars.getByTestId('beds-filter-text').fill('');

  await ars.getByTestId('beds-tab-dashboard').click();
  const cellStale = Number(await typeCell(ars).getAttribute('data-stale-units'));
  expect(cellStale).toBeGreaterThanOrEqual(1);
  await expect(groupCell(ars)).toContainText(/unités? périmées? · plus ancienne il y a \d+ h/);
  await expect(ars.getByTestId('beds-summary')).toContainText('périmée');
  await shot(ars, 'beds-dashboard-stale');
});

test('the daily bulletin holds the dashboard, the maps and the freshness figures, ready to print', async () => {
  await ars.getByTestId('beds-tab-bulletin').click();
  const bulletin = ars.getByTestId('bulletin');
  await expect(bulletin).toContainText('Bulletin quotidien des tensions en soins critiques');
  await expect(bulletin).toContainText('Île-de-France');
  await expect(bulletin.getByTestId('bulletin-freshness')).toContainText(/périmées? \(non mises? à jour depuis plus de 24 h\)/);
  await expect(bulletin.getByTestId('dashboard-table')).toBeVisible();
  await expect(bulletin.locator(`[data-testid="map-dep-${DEP}"]`)).toHaveCount(3);
  await shot(ars, 'beds-bulletin');
});

test('a ROR extract with a bad line imports nothing until the valid lines are chosen', async () => {
  // Latin-1, `;` separators, French decimal comma-free integers: the way a regional export comes out of a spreadsheet.
  const csv = [
    'COD_ROR_EG;LIB_TYPE_UNITE;NBR_LIT_DSP;NBR_LIT_INS;NBR_LIT_ARM',
    '750100042;Unité de Surveillance Continue (USC) chirurgie;3;10;8',
    '12345;USIC;2;10;8',
    '',
  ].join('\r\n');
  await ars.getByTestId('beds-import').click();
  const dialog = ars.getByTestId('import-dialog');
  await dialog.getByTestId('import-file').setInputFiles({ name: 'ror-idf.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
  await expect(dialog.getByTestId('import-preview')).toContainText('2 lignes lues');
  await expect(dialog.getByTestId('import-errors')).toContainText('ligne 3');
  await expect(dialog.getByTestId('import-commit')).toHaveCount(0);
  await shot(ars, 'beds-import-preview');
  await dialog.getByTestId('import-commit-valid').click();
  await expect(dialog.getByTestId('import-done')).toHaveText('1 ligne importée, 1 ignorée.');
  await dialog.getByRole('button', { name: 'Fermer' }).click();
  await expect(dialog).toHaveCount(0);
});

test('the stale delay is a workstation setting: at 48 h the unit reported 25 h ago is current again', async () => {
  await ars.getByTestId('beds-settings-open').click();
  const dialog = ars.getByTestId('beds-settings');
  await dialog.getByTestId('settings-stale-hours').fill('48');
  await dialog.getByTestId('settings-save').click();
  await expect(dialog).toHaveCount(0);
  await ars.getByTestId('beds-tab-grid').click();
  await ars.getByTestId('beds-filter-text').fill('pitie salpetriere');
  const row = ars.getByTestId('beds-grid').locator('.ag-row', { has: ars.getByTestId(`bed-row-U:${FINESS}:${TYPE}`) });
  await expect(row).toContainText('il y a 25 h');
  await expect(row.getByTestId('stale-badge')).toHaveCount(0);
  await expect(ars.getByTestId('beds-board')).toContainText('Périmé au-delà de 48 h sans mise à jour');
});

test('the current picture is exported as CSV and as EDXL-HAVE, as files the browser downloads', async () => {
  const csvDownload = ars.waitForEvent('download');
  await ars.getByTestId('beds-export-csv').click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const csvText = await readDownload(csv);
  expect(csvText).toContain(FINESS);

  const haveDownload = ars.waitForEvent('download');
  await ars.getByTestId('beds-export-have').click();
  const have = await haveDownload;
  expect(have.suggestedFilename()).toMatch(/\.xml$/);
  const xml = await readDownload(have);
  expect(xml).toContain('<');
  expect(xml).toMatch(/AdultICU/);
});

async function readDownload(d: import('@playwright/test').Download): Promise<string> {
  const path = await d.path();
  return readFileSync(path, 'utf8');
}
