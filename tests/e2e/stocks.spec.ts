/**
 * The stocks board end to end, all real: a sync server on a loopback port with its own
 * SQLite file and its demo data (PUI accounts, six weeks of counts), two web hosts (the
 * Pitié-Salpêtrière's pharmacy, the ARS Île-de-France and the national cell, each its own data directory), the
 * built renderer in Debian's Chromium.
 *
 * The pharmacist enters counts through the quick form, keyboard only, with French numbers
 * (« 1 234,5 », « 87,5 »); the ARS grid recolours the Pitié's propofol cover live, green then
 * red, without a reload. Screenshots at 1366×768 and 1920×1080.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { login, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const PITIE = '750100125';
const PROPOFOL_50ML = '3400956100163';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

let workDir = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];
let puiContext: BrowserContext;
let arsContext: BrowserContext;
let pui: Page;
let ars: Page;

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-stocks-'));
  const port = await freePort();
  server = await startSyncServer(port, join(workDir, 'server.sqlite'));
  const puiHost = await startWebHost('PUI Pitié', server.readyValue, join(workDir, 'poste-pui'));
  hosts.push(puiHost);
  const arsHost = await startWebHost('ARS IdF', server.readyValue, join(workDir, 'poste-ars'));
  hosts.push(arsHost);
  hosts.push(await startWebHost('National', server.readyValue, join(workDir, 'poste-national')));
  puiContext = await browser.newContext({ viewport: SIZES[1] });
  arsContext = await browser.newContext({ viewport: SIZES[1] });
  pui = await puiContext.newPage();
  ars = await arsContext.newPage();
  await login(pui, puiHost.readyValue, 'pui-pitie');
  await login(ars, arsHost.readyValue, 'ars-idf');
});

test.afterAll(async () => {
  await puiContext?.close();
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

/** The Pitié's propofol cover in the ARS grid (the row's centre part: the label column is pinned). */
const pitieCover = () => ars.locator(`[row-id="E:${PITIE}"] [col-id="propofol.cover"] .stock-cover`);

/** Types one propofol count in the quick form, keyboard only: Tab between fields, Entrée records. */
async function enterPropofol(onHand: string, used7d: string, daysOut: string) {
  await pui.getByTestId(`stock-${PROPOFOL_50ML}-onHand`).focus();
  await pui.keyboard.type(onHand);
  await pui.keyboard.press('Tab');
  await pui.keyboard.type(used7d);
  await pui.keyboard.press('Tab');
  await pui.keyboard.type(daysOut);
  await pui.keyboard.press('Enter');
}

test('the pharmacist opens on the quick form with every presentation; the ARS on its région’s grid', async () => {
  await pui.keyboard.press('Alt+4');
  await expect(pui.getByTestId('stock-form')).toBeVisible();
  await expect(pui.locator('[data-testid^="stock-form-row-"]')).toHaveCount(74);
  await ars.keyboard.press('Alt+4');
  await expect(ars.getByTestId('stocks-grid')).toBeVisible();
  // One molecule's columns at a time (the first, midazolam); 2 shows propofol, 0 all five.
  await expect(ars.getByTestId('stocks-molecule')).toHaveValue('midazolam');
  await expect(ars.locator('[col-id="midazolam.cover"]').first()).toBeVisible();
  await expect(ars.locator('[col-id="propofol.cover"]')).toHaveCount(0);
  await expect(ars.locator('[col-id="worst"]').first()).toBeVisible();
  await ars.locator('.ag-header-cell[col-id="label"]').click();
  await ars.keyboard.press('0');
  await expect(ars.getByTestId('stocks-molecule')).toHaveValue('all');
  await expect(ars.locator('.ag-header-group-cell', { hasText: 'Rocuronium' })).toHaveCount(1);
  await ars.keyboard.press('2');
  await expect(ars.getByTestId('stocks-molecule')).toHaveValue('propofol');
  await expect(ars.locator('[col-id="midazolam.cover"]')).toHaveCount(0);
  await ars.getByTestId('stocks-filter').fill(PITIE);
  await expect(pitieCover()).toBeVisible();
  for (const size of SIZES) {
    await pui.setViewportSize(size);
    await ars.setViewportSize(size);
    await shot(pui, `stocks-pui-form-${size.width}x${size.height}`);
    await ars.getByTestId('stocks-filter').fill('');
    await shot(ars, `stocks-ars-grid-${size.width}x${size.height}`);
  }
  await ars.getByTestId('stocks-filter').fill(PITIE);
});

test('a wrong field is named and nothing is sent', async () => {
  await enterPropofol('douze', '70', '9');
  await expect(pui.getByTestId(`stock-${PROPOFOL_50ML}-onHand-error`)).toHaveText('Nombre attendu (ex. « 1 234,5 »).');
  await expect(pui.getByTestId(`stock-${PROPOFOL_50ML}-daysOut-error`)).toHaveText('Jours de rupture : 7 au plus (la période compte 7 jours).');
  await expect(pui.getByTestId('stock-form-message')).toHaveText('2 champs à corriger (en rouge).');
  await expect(pui.getByTestId(`stock-${PROPOFOL_50ML}-onHand`)).toBeFocused();
  await shot(pui, 'stocks-pui-form-errors');
  for (const f of ['onHand', 'used7d', 'daysOut']) await pui.getByTestId(`stock-${PROPOFOL_50ML}-${f}`).fill('');
});

test('a report with French decimals recolours the ARS grid live: green, then red', async () => {
  // 1 234,5 flacons for 70 used in 7 days: 123 days of cover.
  await enterPropofol('1 234,5', '70', '0');
  await expect(pui.getByTestId('stock-form-message')).toHaveText(/Relevé enregistré : 1 présentation/);
  await expect(pitieCover()).toHaveAttribute('data-level', 'green', { timeout: 20_000 });
  await expect(pitieCover()).toContainText(/123(,\d)? j/);
  await expect(ars.locator(`[row-id="E:${PITIE}"] [col-id="propofol.onHand"]`)).toHaveText('1 234,5'.replace(' ', '\u202f'));

  // 12,5 flacons; 87,5 used over the 5 days it had stock (2 dry): 17,5 a day → 0,7 day.
  await enterPropofol('12,5', '87,5', '2');
  await expect(pitieCover()).toHaveAttribute('data-level', 'red', { timeout: 20_000 });
  await expect(pitieCover()).toContainText('0,7 j');
  for (const size of SIZES) {
    await ars.setViewportSize(size);
    await shot(ars, `stocks-ars-red-${size.width}x${size.height}`);
  }
  // The form shows the count it now holds.
  await expect(pui.getByTestId(`stock-form-row-${PROPOFOL_50ML}`)).toContainText('dernier : 12,5');
});

test('the national cell sees France by région and département, and pivots to molecules × régions', async ({ browser }) => {
  const context = await browser.newContext({ viewport: SIZES[1] });
  try {
    const page = await context.newPage();
    await login(page, hosts[2].readyValue, 'national');
    await page.keyboard.press('Alt+4');
    await expect(page.getByTestId('stocks-grid')).toBeVisible();
    await expect(page.getByTestId('stocks-summary')).toContainText(/^\d{3} établissements/);
    await expect(page.locator('[row-id^="R:"]').first()).toBeVisible();
    await shot(page, 'stocks-national-grid-1920x1080');
    await page.getByTestId('stocks-tab-pivot').click();
    const pivot = page.getByTestId('stocks-pivot');
    await expect(pivot.locator('tbody tr').nth(12)).toBeVisible();
    await expect(pivot).toContainText('Île-de-France');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await shot(page, `stocks-national-pivot-${size.width}x${size.height}`);
    }

    // A correction: the establishment's row opens its form; without a reason it is refused.
    await page.getByTestId('stocks-tab-grid').click();
    await page.getByTestId('stocks-filter').fill(PITIE);
    await page.locator(`[row-id="E:${PITIE}"] [col-id="label"]`).click();
    await expect(page.getByTestId('stock-form')).toContainText('Correction du stock');
    await page.getByTestId(`stock-${PROPOFOL_50ML}-onHand`).fill('40');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('stock-form-message')).toHaveText('Une correction par la cellule nationale doit dire pourquoi (commentaire).');
    await page.getByTestId('stock-form-comment').fill('Recomptage après inventaire');
    await page.getByTestId(`stock-${PROPOFOL_50ML}-onHand`).press('Enter');
    await expect(page.getByTestId('stock-form-message')).toHaveText(/Relevé enregistré/);
    await shot(page, 'stocks-national-correction');
  } finally {
    await context.close();
  }
});
