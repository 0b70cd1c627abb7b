/**
 * Transfer delays and timelines end to end, all real (a sync server with its demo data, a web
 * host per workstation, the built renderer in Chromium): two transfers written earlier by the
 * SAMU 75 and Bichat and sent late (the raw protocol, their authors' past clocks): one proposed
 * 20 minutes ago, one accepted 70 minutes ago with a one-hour hold, now lapsed.
 * - Both sides are told the lapsed hold by their workstation's clock, and the timeline shows
 *   every step with its durations and the hold placed and expired.
 * - The SAMU shortens its unanswered delay in the settings (a wrong value gets its French
 *   reason first): the 20-minute-old proposal is flagged and told at once.
 * - Bichat sets its hold to 6 hours; a letter on the proposal's card opens the acceptance
 *   with 6 hours, and the SAMU's timeline shows when that hold will expire.
 * Screenshots at 1366×768 and 1920×1080 in test-results/screenshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { login, pushAs, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const PITIE = '750100125';
const BICHAT = '750100232';
const LATE = randomUUID();
const HELD = randomUUID();
const number = (id: string) => `TR-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

let workDir = '';
let server: StartedProcess | null = null;
const hosts: Record<string, StartedProcess> = {};
const pages: Record<string, Page> = {};

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-transfer-timers-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  const patient = { ageBand: '61-75', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: true };
  const propose = { destFiness: BICHAT, destUnitId: 'REA_MED' };
  expect(
    await pushAs(server.readyValue, 'samu75', [
      { name: 'transfer.create', args: { id: HELD, patient, originFiness: PITIE, urgency: 'immediate', comment: 'SDRA, décubitus ventral' }, at: ago(100) },
      { name: 'transfer.propose', args: { id: HELD, ...propose }, at: ago(90) },
      { name: 'transfer.create', args: { id: LATE, patient, originFiness: PITIE, urgency: 'moins_6h' }, at: ago(25) },
      { name: 'transfer.propose', args: { id: LATE, ...propose }, at: ago(20) },
    ]),
  ).toEqual(['applied', 'applied', 'applied', 'applied']);
  expect(await pushAs(server.readyValue, 'bichat', [{ name: 'transfer.accept', args: { id: HELD, holdId: randomUUID(), holdHours: 1, comment: 'lit 12' }, at: ago(70) }])).toEqual(['applied']);
  for (const who of ['samu75', 'bichat']) {
    hosts[who] = await startWebHost(who, server.readyValue, join(workDir, who));
    pages[who] = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
    await login(pages[who], hosts[who].readyValue, who);
    await pages[who].keyboard.press('Alt+2');
    await expect(pages[who].getByTestId('transfers-board')).toBeVisible();
  }
});
test.afterAll(async () => {
  for (const p of Object.values(pages)) await p.context().close();
  for (const h of Object.values(hosts)) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const card = (p: Page, id: string) => p.getByTestId(`transfer-card-${number(id)}`);
const notice = (p: Page, kind: string, id: string) => p.getByTestId('transfer-notices').locator(`.notice-${kind}`, { hasText: number(id) });

test('a hold lapsed before the arrival is told to both sides, and the timeline shows every step and the hold', async () => {
  for (const p of [pages.samu75, pages.bichat]) {
    await expect(notice(p, 'expired', HELD)).toContainText(/la réservation du lit à Bichat \(AP-HP\) a expiré à \d\d:\d\d sans que le patient soit arrivé/, { timeout: 45_000 });
  }
  const samu = pages.samu75;
  await card(samu, HELD).focus();
  await samu.keyboard.press('Enter');
  const timeline = samu.getByTestId('transfer-timeline');
  await expect(timeline.locator('li.tl-step')).toHaveCount(3);
  await expect(timeline.getByTestId('timeline-step-0')).toContainText('Demandé');
  await expect(timeline.getByTestId('timeline-step-0')).toContainText('SDRA, décubitus ventral');
  await expect(timeline.getByTestId('timeline-step-1')).toContainText('Proposé');
  await expect(timeline.getByTestId('timeline-step-1')).toContainText('+10 min');
  await expect(timeline.getByTestId('timeline-step-2')).toContainText('Accepté');
  await expect(timeline.getByTestId('timeline-step-2')).toContainText('+20 min');
  await expect(timeline.getByTestId('timeline-step-2')).toContainText('Bichat (AP-HP)');
  await expect(timeline.getByTestId('timeline-step-2')).toContainText('lit 12');
  await expect(timeline.getByTestId('timeline-hold-placed')).toContainText('Lit réservé en Réanimation médicale');
  await expect(timeline.getByTestId('timeline-hold-expires')).toContainText('Réservation expirée');
  await expect(timeline.getByTestId('timeline-now')).toContainText(/En attente depuis 1 h 1\d/);
  await expect(samu.getByTestId('transfer-age')).toContainText(/Demande créée il y a 1 h/);
  // The detail fits the window: the timeline's last line is within it.
  const last = await timeline.getByTestId('timeline-now').boundingBox();
  expect(last && last.x + last.width).toBeLessThanOrEqual(1366);
  await shot(samu, 'transfers-timeline-1366');
});

test('the SAMU shortens its unanswered delay: a wrong value is refused in French, then the proposal is flagged and told', async () => {
  const samu = pages.samu75;
  await samu.getByTestId('transfer-detail').getByRole('button', { name: 'Fermer' }).click();
  await expect(samu.getByTestId('transfer-detail')).toHaveCount(0);
  await expect(card(samu, LATE)).toBeVisible();
  await expect(card(samu, LATE).getByTestId('transfer-unanswered')).toHaveCount(0);
  await expect(notice(samu, 'unanswered', LATE)).toHaveCount(0);
  await samu.keyboard.press('l');
  const dialog = samu.getByTestId('transfer-settings');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('transfer-settings-unansweredAfterMinutes')).toHaveValue('30');
  await expect(dialog.getByTestId('transfer-settings-unansweredAfterMinutes')).toBeFocused();
  await dialog.getByTestId('transfer-settings-unansweredAfterMinutes').fill('3');
  await samu.keyboard.press('Enter');
  await expect(dialog.getByTestId('transfer-settings-unansweredAfterMinutes-error')).toHaveText('Délai de 5 minutes au moins.');
  await shot(samu, 'transfers-settings-error-1366');
  await dialog.getByTestId('transfer-settings-unansweredAfterMinutes').fill('15');
  await samu.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(samu.getByTestId('transfer-settings-rule')).toHaveText('15 min · 4 h');
  await expect(card(samu, LATE).getByTestId('transfer-unanswered')).toContainText(/Sans réponse depuis 2\d min/);
  await expect(notice(samu, 'unanswered', LATE)).toContainText(/proposition à Bichat \(AP-HP\) sans réponse depuis 2\d min\./);
  // The delay is the SAMU's own: Bichat's board is not flagged nor told.
  await expect(pages.bichat.getByTestId('transfer-settings-rule')).toHaveText('30 min · 4 h');
  await expect(notice(pages.bichat, 'unanswered', LATE)).toHaveCount(0);
  await shot(samu, 'transfers-unanswered-1366');
});

test('Bichat holds for 6 hours by its settings; a letter on the card opens the acceptance with it', async () => {
  const bichat = pages.bichat;
  await bichat.getByTestId('transfer-settings-open').click();
  const dialog = bichat.getByTestId('transfer-settings');
  await dialog.getByTestId('transfer-settings-holdHours').fill('6');
  await dialog.getByTestId('transfer-settings-save').click();
  await expect(bichat.getByTestId('transfer-settings-rule')).toHaveText('30 min · 6 h');
  await expect(card(bichat, LATE).getByTestId('transfer-key-accept')).toHaveText('A');
  await card(bichat, LATE).focus();
  await bichat.keyboard.press('a');
  await expect(bichat.getByTestId('transfer-detail')).toContainText(number(LATE));
  await expect(bichat.getByTestId('transfer-hold-hours')).toHaveValue('6');
  await expect(bichat.getByTestId('transfer-hold-hours')).toBeFocused();
  await bichat.keyboard.press('Enter');
  await expect(bichat.getByTestId('transfer-column-accepte').getByTestId(`transfer-card-${number(LATE)}`)).toBeVisible();

  const samu = pages.samu75;
  await samu.setViewportSize({ width: 1920, height: 1080 });
  await expect(samu.getByTestId('transfer-column-accepte').getByTestId(`transfer-card-${number(LATE)}`)).toBeVisible({ timeout: 20_000 });
  await card(samu, LATE).click();
  const timeline = samu.getByTestId('transfer-timeline');
  await expect(timeline.getByTestId('timeline-hold-expires')).toContainText('La réservation expire');
  await expect(timeline.getByTestId('timeline-hold-expires')).toContainText('à venir');
  await expect(card(samu, LATE).getByTestId('transfer-unanswered')).toHaveCount(0);
  await shot(samu, 'transfers-timeline-1920');
  // The help panel lists the board's keys.
  await samu.keyboard.press('F1');
  const help = samu.getByTestId('help-panel');
  await expect(help).toContainText('E P A R O D V X');
  await expect(help).toContainText('Transferts : délais (réservation, proposition sans réponse)');
  await samu.keyboard.press('Escape');
});
