/**
 * Regional redeployments end to end, all real: a sync server on a loopback port with its demo
 * data, three web hosts (the ARS Île-de-France, the Pitié-Salpêtrière's pharmacy, Bichat's
 * pharmacy, each its own data directory), the built renderer in Debian's Chromium.
 *
 * The pharmacies count their propofol (Pitié 5 000 flacons, 500 days; Bichat 20, 2 days); the
 * ARS opens « Redéploiements », raises the surplus threshold to 30 days (only Pitié gives),
 * ticks the suggested Pitié → Bichat move and validates it; Pitié ships, Bichat receives, and
 * the ARS grid shows both stocks updated. Screenshots at 1366×768 and 1920×1080.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { login, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const PITIE = '750100125';
const BICHAT = '750100232';
const PROPOFOL_50ML = '3400956100163';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

let workDir = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];
const contexts: BrowserContext[] = [];
let ars: Page;
let pitie: Page;
let bichat: Page;

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-redeploy-'));
  const port = await freePort();
  server = await startSyncServer(port, join(workDir, 'server.sqlite'));
  const pages: Page[] = [];
  for (const [name, user] of [
    ['ARS IdF', 'ars-idf'],
    ['PUI Pitié', 'pui-pitie'],
    ['PUI Bichat', 'pui-bichat'],
  ] as const) {
    const host = await startWebHost(name, server.readyValue, join(workDir, user));
    hosts.push(host);
    const context = await browser.newContext({ viewport: SIZES[1] });
    contexts.push(context);
    const page = await context.newPage();
    await login(page, host.readyValue, user);
    await page.keyboard.press('Alt+4');
    pages.push(page);
  }
  [ars, pitie, bichat] = pages;
});

test.afterAll(async () => {
  for (const c of contexts) await c.close();
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const p of [server, ...hosts]) if (p) await testInfo.attach(`${p.name} output`, { body: p.output(), contentType: 'text/plain' });
  }
});

/** A propofol count in a pharmacy's quick form: stock, 7-day use, Entrée. */
async function countPropofol(page: Page, onHand: string, used7d: string) {
  await page.getByTestId(`stock-${PROPOFOL_50ML}-onHand`).fill(onHand);
  await page.getByTestId(`stock-${PROPOFOL_50ML}-used7d`).fill(used7d);
  await page.getByTestId(`stock-${PROPOFOL_50ML}-onHand`).press('Enter');
  await expect(page.getByTestId('stock-form-message')).toHaveText(/Relevé enregistré/);
}

const onHandCell = (finess: string) => ars.locator(`[row-id="E:${finess}"] [col-id="propofol.onHand"]`);
/** The ARS grid, filtered to one establishment, shows its propofol on hand. */
async function expectOnHand(finess: string, text: string) {
  await ars.getByTestId('stocks-filter').fill(finess);
  await expect(onHandCell(finess)).toHaveText(text, { timeout: 20_000 });
}
const units = (n: string) => n.replace(' ', '\u202f');

test('the ARS validates a suggested redeployment', async () => {
  await countPropofol(pitie, '5000', '70');
  await countPropofol(bichat, '20', '70');
  await expect(ars.getByTestId('stocks-grid')).toBeVisible();
  await ars.getByTestId('stocks-molecule').selectOption('propofol');
  await expectOnHand(PITIE, units('5 000'));
  await expectOnHand(BICHAT, '20');

  await ars.getByTestId('stocks-tab-redeploy').click();
  await expect(ars.getByTestId('redeploy')).toBeVisible();
  await expect(ars.getByTestId('redeploy-molecule')).toHaveValue('propofol');
  await ars.getByTestId('redeploy-presentation').selectOption(PROPOFOL_50ML);
  await ars.getByTestId('redeploy-surplus').fill('30');
  await ars.getByTestId('redeploy-surplus').press('Enter');
  const move = ars.getByTestId(`redeploy-suggested-${PITIE}-${BICHAT}`);
  await expect(move).toBeVisible({ timeout: 20_000 });
  // Bichat: 20 flacons at 10 a day (2 days) is brought to 7 days: 50 flacons, Pitié 500 → 495 days.
  await expect(move).toContainText('50');
  await expect(move).toContainText('2 j → 7 j');
  await expect(ars.getByTestId('redeploy-validate')).toBeDisabled();
  await ars.getByTestId(`redeploy-pick-${PITIE}-${BICHAT}`).check();
  for (const size of SIZES) {
    await ars.setViewportSize(size);
    await shot(ars, `stocks-redeploy-ars-suggestion-${size.width}x${size.height}`);
  }
  await ars.getByTestId('redeploy-validate').click();
  await expect(ars.getByTestId('redeploy-message')).toHaveText(/1 redéploiement validé/);
  const tracked = ars.locator('[data-testid^="redeploy-move-"]');
  await expect(tracked).toHaveCount(1);
  await expect(tracked).toHaveAttribute('data-state', 'propose');
  // Validated, Bichat is no longer suggested.
  await expect(move).toHaveCount(0);
});

test('the giver ships, the receiver receives', async () => {
  const ship = pitie.locator('[data-testid^="redeploy-mine-step-ship-"]');
  await expect(ship).toBeVisible({ timeout: 20_000 });
  await expect(pitie.getByTestId('redeploy-mine')).toContainText('Donner 50');
  await shot(pitie, 'stocks-redeploy-giver-1920x1080');
  await ship.click();
  await expect(pitie.locator('[data-testid^="redeploy-mine-"][data-state="expedie"]')).toBeVisible();

  const receive = bichat.locator('[data-testid^="redeploy-mine-step-receive-"]');
  await expect(receive).toBeVisible({ timeout: 20_000 });
  await expect(bichat.getByTestId('redeploy-mine')).toContainText('Recevoir 50');
  await shot(bichat, 'stocks-redeploy-receiver-1920x1080');
  await receive.click();
  await expect(bichat.locator('[data-testid^="redeploy-mine-"][data-state="recu"]')).toBeVisible();
  await expect(bichat.getByTestId(`stock-form-row-${PROPOFOL_50ML}`)).toContainText('dernier : 70');
});

test('the ARS grid shows both stocks updated', async () => {
  await expect(ars.locator('[data-testid^="redeploy-move-"]')).toHaveAttribute('data-state', 'recu', { timeout: 20_000 });
  for (const size of SIZES) {
    await ars.setViewportSize(size);
    await shot(ars, `stocks-redeploy-ars-tracking-${size.width}x${size.height}`);
  }
  await ars.getByTestId('stocks-tab-grid').click();
  await expectOnHand(PITIE, units('4 950'));
  await expectOnHand(BICHAT, '70');
  await ars.getByTestId('stocks-filter').fill('');
  for (const size of SIZES) {
    await ars.setViewportSize(size);
    await shot(ars, `stocks-redeploy-ars-grid-${size.width}x${size.height}`);
  }
});
