/**
 * A national allocation round end to end, all real: a sync server on a loopback port with its
 * demo data (stocks, beds, the national event), two web hosts (the national cell, the Pitié's
 * pharmacy), the built renderer in Debian's Chromium.
 *
 * The national cell enters a supply of propofol 50 ml, reads every figure of the proposal,
 * adjusts the Pitié's quota (the table says what is left, then what is too much), validates
 * from the keyboard; the pharmacy sees its line live and confirms receipt; the national cell
 * sees the confirmation. Screenshots at 1366×768 and 1920×1080.
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
let natContext: BrowserContext;
let puiContext: BrowserContext;
let nat: Page;
let pui: Page;

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-allocation-'));
  const port = await freePort();
  server = await startSyncServer(port, join(workDir, 'server.sqlite'));
  const natHost = await startWebHost('National', server.readyValue, join(workDir, 'poste-national'));
  hosts.push(natHost);
  const puiHost = await startWebHost('PUI Pitié', server.readyValue, join(workDir, 'poste-pui'));
  hosts.push(puiHost);
  natContext = await browser.newContext({ viewport: SIZES[1] });
  puiContext = await browser.newContext({ viewport: SIZES[1] });
  nat = await natContext.newPage();
  pui = await puiContext.newPage();
  await login(nat, natHost.readyValue, 'national');
  await login(pui, puiHost.readyValue, 'pui-pitie');
});

test.afterAll(async () => {
  await natContext?.close();
  await puiContext?.close();
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const p of [server, ...hosts]) if (p) await testInfo.attach(`${p.name} output`, { body: p.output(), contentType: 'text/plain' });
  }
});

test('the national cell proposes, reads every figure, adjusts one line and validates; the pharmacy confirms receipt', async () => {
  await nat.keyboard.press('Alt+4');
  await expect(nat.getByTestId('stocks-grid')).toBeVisible();
  await nat.getByTestId('stocks-tab-allocations').click();
  await nat.getByTestId('alloc-molecule').selectOption('propofol');
  await nat.getByTestId('alloc-presentation').selectOption(PROPOFOL_50ML);
  // A delivery above the total need: every need is met and the rest stays national.
  await nat.getByTestId('alloc-supply').fill('50 000');
  await nat.getByTestId('alloc-supply').press('Enter');

  const table = nat.getByTestId('alloc-table');
  await expect(table).toBeVisible();
  const pitieRow = table.locator(`tr[data-finess="${PITIE}"]`);
  await expect(pitieRow).toBeVisible();
  // Every figure of the line: 18 cells (name, département, 14 figures, quota, cover after).
  await expect(pitieRow.locator('th, td')).toHaveCount(18);
  await expect(nat.getByTestId('alloc-total')).toContainText('/ 50000');
  await expect(nat.getByTestId('alloc-validate')).toBeEnabled();

  const quota = nat.getByTestId(`alloc-quota-${PITIE}`);
  const proposed = Number(await quota.inputValue());
  const leftBefore = Number(/Reste à répartir : (\d+)/.exec((await nat.getByTestId('alloc-left').textContent()) ?? '')?.[1]);
  expect(leftBefore).toBeGreaterThan(5);
  // Too much: the table says so and « Valider » is off.
  await quota.fill(String(proposed + leftBefore + 3));
  await expect(nat.getByTestId('alloc-problems')).toContainText('3 de trop');
  await expect(nat.getByTestId('alloc-validate')).toBeDisabled();
  // Not a number: said in words, « Valider » still off.
  await quota.fill('');
  await expect(nat.getByTestId('alloc-problems')).toContainText('quota à saisir en nombre entier');
  await expect(nat.getByTestId('alloc-validate')).toBeDisabled();
  // Five more than proposed: what is left is said.
  const adjusted = proposed + 5;
  await quota.fill(String(adjusted));
  await expect(nat.getByTestId('alloc-left')).toContainText(`Reste à répartir : ${leftBefore - 5} unité`);
  await expect(pitieRow).toHaveClass(/alloc-adjusted/);
  // The round's totals as the proposal states them, for the chart's caption.
  const needTotal = Number(await table.locator('tfoot td.num').first().textContent());
  expect(needTotal).toBeGreaterThan(0);
  const allocatedTotal = Number(/^(\d+) \//.exec((await nat.getByTestId('alloc-total').textContent()) ?? '')?.[1]);
  expect(allocatedTotal).toBeGreaterThan(needTotal);
  for (const size of SIZES) {
    await nat.setViewportSize(size);
    await shot(nat, `allocation-national-proposal-${size.width}x${size.height}`);
  }

  // The proposal's chart before validating: the quotas as adjusted so far, redrawn at each change.
  await nat.getByTestId('alloc-proposal-chart').click();
  const proposalChart = nat.getByTestId('round-chart-proposal');
  await expect(proposalChart.getByTestId('round-chart-canvas').locator('canvas')).toBeVisible();
  await expect(proposalChart.getByTestId('round-chart-cover').locator('canvas')).toBeVisible();
  await expect(proposalChart).toContainText('Quota proposé (u.)');
  const proposalCaption = async () => ((await proposalChart.getByTestId('round-chart-caption').textContent()) ?? '').replace(/[\s\u202f\u00a0]/g, '');
  expect(await proposalCaption()).toContain(`Livraison:50000unités·besointotal:${needTotal}unités·attribué:${allocatedTotal}unités`);
  await quota.fill(String(adjusted + 1));
  await expect.poll(proposalCaption).toContain(`attribué:${allocatedTotal + 1}unités`);
  await quota.fill(String(adjusted));
  await expect.poll(proposalCaption).toContain(`attribué:${allocatedTotal}unités`);
  await proposalChart.scrollIntoViewIfNeeded();
  await shot(nat, 'allocation-national-proposal-chart-1920x1080');

  // Validate from the keyboard.
  await nat.getByTestId('alloc-validate').focus();
  await nat.keyboard.press('Enter');
  await expect(nat.getByTestId('alloc-notice')).toBeVisible();
  const round = nat.getByTestId('alloc-round').first();
  await expect(round).toBeVisible();
  await expect(round.getByTestId('alloc-confirmations')).toContainText('0 /');

  // The pharmacy sees its line live and confirms receipt.
  await pui.keyboard.press('Alt+4');
  await pui.getByTestId('stocks-tab-dotations').click();
  const line = pui.getByTestId('alloc-round').first().locator(`tr[data-finess="${PITIE}"]`);
  await expect(line).toBeVisible({ timeout: 20_000 });
  await expect(pui.getByTestId('alloc-round').first().locator('tbody tr')).toHaveCount(1);
  await expect(line.locator('td.num strong')).toHaveText(String(adjusted));
  await expect(pui.getByTestId(`alloc-confirm-${PITIE}`)).toBeInViewport();
  for (const size of SIZES) {
    await pui.setViewportSize(size);
    await shot(pui, `allocation-pui-dotation-${size.width}x${size.height}`);
  }
  {
    await pui.getByTestId(`alloc-confirm-${PITIE}`).click();
    await expect(line).toContainText('Reçue — confirmée par');
    // The national cell sees the confirmation.
    await expect(round.getByTestId('alloc-confirmations')).toContainText('1 /', { timeout: 20_000 });
    await expect(round.locator(`tr[data-finess="${PITIE}"]`)).toContainText('Reçue — confirmée par');
    for (const size of SIZES) {
      await nat.setViewportSize(size);
      await shot(nat, `allocation-national-confirmed-${size.width}x${size.height}`);
    }
  }

  // The round's chart, from the keyboard: « Graphique » draws the canvases and says the totals.
  await nat.setViewportSize(SIZES[0]);
  await round.getByTestId('alloc-view-chart').focus();
  await nat.keyboard.press('Enter');
  await expect(round.getByTestId('alloc-view-chart')).toHaveAttribute('aria-pressed', 'true');
  await expect(round.locator('table.alloc-table')).toHaveCount(0);
  await expect(round.getByTestId('round-chart-canvas').locator('canvas')).toBeVisible();
  await expect(round.getByTestId('round-chart-cover').locator('canvas')).toBeVisible();
  const caption = ((await round.getByTestId('round-chart-caption').textContent()) ?? '').replace(/[\s\u202f\u00a0]/g, '');
  expect(caption).toContain(`Livraison:50000unités·besointotal:${needTotal}unités·attribué:${allocatedTotal}unités`);
  // Supply above the total need: every establishment with a need is served in full.
  const served = /(\d+)établissements?sur(\d+)servis?entotalité/.exec(caption);
  expect(served?.[1]).toBeDefined();
  expect(served?.[1]).toBe(served?.[2]);
  expect(Number(served?.[1])).toBeGreaterThan(0);
  // Drawn: the establishments with a need, and the Pitié if it had none (its 5 units were given by hand); the others are counted, not drawn.
  const drawn = /(\d+)établissements?tracés?parbesoindécroissantsur(\d+)lignes?/.exec(caption);
  expect(Number(drawn?.[1])).toBe(Number(served?.[2]) + (proposed === 0 ? 1 : 0));
  expect(Number(drawn?.[2])).toBeGreaterThanOrEqual(Number(drawn?.[1]));
  await round.getByTestId('round-chart').scrollIntoViewIfNeeded();
  await shot(nat, 'allocation-national-round-chart-1366x768');
  // « Tableau » brings the figures back as text.
  await round.getByTestId('alloc-view-table').focus();
  await nat.keyboard.press('Space');
  await expect(round.locator(`tr[data-finess="${PITIE}"]`)).toContainText('Reçue — confirmée par');

  // The consigne is in the pharmacy's main courante.
  await pui.keyboard.press('Alt+1');
  await expect(pui.getByText('Dotation nationale — Propofol').first()).toBeVisible({ timeout: 20_000 });
});
