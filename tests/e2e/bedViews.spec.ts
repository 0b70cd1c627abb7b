/**
 * The bed views each role opens on, all real (a sync server with its demo data, one web host
 * per workstation, the built renderer in Chromium), at the two common screen sizes:
 * - a SAMU regulator: free beds by establishment in its département and the bordering ones
 *   (read from the server: they are outside its branch), most free first, with freshness;
 * - the national cell: France by région (dashboard columns, a map with regional labels);
 * - an ARS officer: the picture at a past instant, ages measured against that instant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openBeds } from './support/beds';
import { freePort, type StartedProcess } from './support/processes';
import { login, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

let workDir = '';
let server: StartedProcess | null = null;
const hosts: Record<string, StartedProcess> = {};

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-bedviews-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  for (const who of ['samu75', 'national', 'ars-idf']) hosts[who] = await startWebHost(who, server.readyValue, join(workDir, who));
});

test.afterAll(async () => {
  for (const h of Object.values(hosts)) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

async function openAs(browser: import('@playwright/test').Browser, who: string, size: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport: size, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
  // A web host is one workstation: its session outlives the browser tab (second screen size).
  await page.goto(hosts[who].readyValue);
  await expect(page.getByTestId('login-username').or(page.getByTestId('nav-eventlog'))).toBeVisible();
  if (await page.getByTestId('login-username').isVisible()) await login(page, hosts[who].readyValue, who);
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('nav-beds')).toHaveAttribute('aria-current', 'page');
  return page;
}

for (const size of SIZES) {
  test(`a SAMU opens on the free beds around it, most free first, keyboard to a unit's detail (${size.width}×${size.height})`, async ({ browser }) => {
    const samu = await openAs(browser, 'samu75', size);
    await expect(samu.getByTestId('beds-tab-around')).toHaveAttribute('aria-selected', 'true');
    const table = samu.getByTestId('around-table');
    await expect(table).toBeVisible();
    await expect(samu.getByTestId('around-status')).toContainText('Voisins lus à');
    await expect(samu.getByTestId('beds-around')).toContainText('Paris et départements voisins : Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne');
    // Establishments of Paris and of the neighbours (never pulled by a SAMU 75), most free first.
    const rows = table.locator('tbody tr');
    const deps = await rows.locator('td:nth-child(4)').allInnerTexts();
    expect(deps.some((d) => d.startsWith('75'))).toBe(true);
    expect(deps.some((d) => /^(92|93|94)/.test(d))).toBe(true);
    expect(deps.every((d) => /^(75|92|93|94) /.test(d))).toBe(true);
    const free = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-free')))));
    expect(free).toEqual([...free].sort((a, b) => b - a));
    await shot(samu, `beds-around-samu-${size.width}`);

    // One unit type: every row lists only that type's units.
    await samu.getByTestId('around-choice').selectOption('REA_MED');
    await expect(rows.first()).toContainText('Réa méd.');
    for (const text of await rows.locator('td:nth-child(5)').allInnerTexts()) expect(text.split(' · ').every((u) => u.startsWith('Réa méd.'))).toBe(true);

    // Keyboard: Tab to the first row, Entrée opens its units' detail.
    await rows.first().focus();
    await samu.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
    await samu.keyboard.press('Enter');
    await expect(samu.getByTestId('unit-detail')).toBeVisible();
    await shot(samu, `beds-around-samu-detail-${size.width}`);
    await samu.context().close();
  });

  test(`the national cell sees France by région: dashboard columns and a labelled map (${size.width}×${size.height})`, async ({ browser }) => {
    const nat = await openAs(browser, 'national', size);
    await expect(nat.getByTestId('beds-tab-dashboard')).toHaveAttribute('aria-selected', 'true');
    await expect(nat.getByTestId('beds-region')).toHaveValue('');
    // Régions are the columns, France the total; no sum of unlike groups.
    await expect(nat.getByTestId('dashboard-table')).toContainText('Île-de-France');
    await expect(nat.getByTestId('dashboard-table')).toContainText('Bretagne');
    await expect(nat.getByTestId('dashboard-cell-group-reanimation-11')).toBeVisible();
    await expect(nat.getByTestId('dashboard-cell-group-reanimation-53')).toBeVisible();
    // Grand Est opened surge beds (the demo's first-wave région): counted apart, never hidden in the total.
    await expect(nat.getByTestId('dashboard-cell-group-reanimation-44').locator('.dash-surge')).toHaveText(/^⇡\d+$/);
    await shot(nat, `beds-national-dashboard-${size.width}`);
    await expect(nat.getByTestId('dashboard-table').locator('caption')).toHaveText('Lits disponibles par type d’unité et région — France entière');
    // The France bulletin's heading says régions: its columns are régions.
    await nat.getByTestId('beds-tab-bulletin').click();
    await expect(nat.getByTestId('bulletin').locator('caption').first()).toContainText('par type d’unité et région');
    await shot(nat, `beds-national-bulletin-${size.width}`);
    await nat.getByTestId('beds-tab-dashboard').click();
    // A région's cell opens the région by département.
    await nat.getByTestId('dashboard-cell-group-reanimation-11').click();
    await expect(nat.getByTestId('beds-region')).toHaveValue('11');
    await expect(nat.getByTestId('dashboard-cell-group-reanimation-75')).toBeVisible();

    await nat.getByTestId('beds-tab-map').click();
    await expect(nat.getByTestId('map-level-region')).toHaveAttribute('aria-pressed', 'true');
    await expect(nat.getByTestId('map-area-label-11')).toContainText('Île-de-France');
    await expect(nat.getByTestId('map-area-label-11')).toContainText(/\d+\/\d+/);
    // Paris takes its région's colour.
    const idf = await nat.getByTestId('map-dep-77').getAttribute('data-tension');
    await expect(nat.getByTestId('map-dep-75')).toHaveAttribute('data-tension', idf ?? '');
    await expect(nat.getByTestId('map-dep-table')).toContainText('Île-de-France');
    await expect(nat.getByTestId('map-area-label-44')).toContainText(/⇡\d+/);
    await shot(nat, `beds-national-map-${size.width}`);
    await nat.getByTestId('map-level-departement').click();
    await expect(nat.getByTestId('map-area-label-11')).toHaveCount(0);
    await nat.context().close();
  });

  test(`an ARS reads the picture at a past instant, ages measured then, and comes back live (${size.width}×${size.height})`, async ({ browser }) => {
    const ars = await openAs(browser, 'ars-idf', size);
    await openBeds(ars, 'dashboard');
    const summary = ars.getByTestId('beds-summary');
    const liveUnits = Number((await summary.innerText()).match(/(\d+) unités?/)?.[1]);
    expect(liveUnits).toBeGreaterThan(0);
    // Before any report, there was nothing.
    await ars.getByTestId('beds-asof-input').fill('2019-06-01T12:00');
    await ars.getByTestId('beds-asof-input').press('Enter');
    await expect(ars.getByTestId('beds-asof-banner')).toContainText('Situation au 01/06/2019 12:00');
    await expect(summary).toContainText('0 unité');
    // Ninety minutes ago: units first reported in the last hour do not exist yet.
    const past = new Date(Date.now() - 90 * 60_000);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(past).replace(' ', 'T');
    await ars.getByTestId('beds-asof-input').fill(local);
    await ars.getByTestId('beds-asof-show').click();
    // The banner reads in the workstation's time zone (Paris here), whatever this process's is.
    const parisDay = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit' }).format(past);
    await expect(ars.getByTestId('beds-asof-banner')).toContainText(`Situation au ${parisDay}/`);
    await expect.poll(async () => Number((await summary.innerText()).match(/(\d+) unités?/)?.[1])).toBeLessThan(liveUnits);
    await ars.getByTestId('beds-tab-grid').click();
    // No figure is younger than the instant shown.
    for (const age of await ars.getByTestId('beds-grid').locator('.ag-row .ag-cell[col-id="freshness"]').allInnerTexts()) expect(age).not.toMatch(/à l’instant/);
    await shot(ars, `beds-asof-${size.width}`);
    await ars.getByTestId('beds-asof-back').click();
    await expect(ars.getByTestId('beds-asof-banner')).toHaveCount(0);
    await expect(summary).toContainText(`${liveUnits} unités`);
    await ars.context().close();
  });
}
