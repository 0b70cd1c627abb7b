/**
 * Issue 7, event log domain, end to end and all real: a sync server on loopback, three web
 * hosts (SAMU 75 at 1366×768, ARS Île-de-France at 1920×1080, Pitié-Salpêtrière), Debian's
 * Chromium.
 *
 * One story, in order: SAMU 75 writes a consigne and sees who must acknowledge it (the five
 * Paris hospitals with critical care, not the 93 FINESS entries of Paris), narrows it to a
 * custom list and back, sends it; Pitié acknowledges; the SAMU's panel counts 1 / 5 and names
 * who is missing. Then the SAMU runs its reinforcement room: posts opened, who holds them and
 * who comes next, seen read-only by the ARS, never by the hospital; a shift written while the
 * sync server is down waits, then reaches the ARS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { gridRow, login, RECONNECT_TIMEOUT_MS, selectEvent, shot, startSyncServer, startWebHost, syncState } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const RUN = Date.now().toString(36);
const EVENT = 'Covid-19 — vague 1';
const SMALL = { width: 1366, height: 768 };
const LARGE = { width: 1920, height: 1080 };

let workDir = '';
let serverPort = 0;
let serverDb = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];
const contexts: BrowserContext[] = [];
let samu: Page;
let ars: Page;
let pitie: Page;

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-renfort-'));
  serverPort = await freePort();
  serverDb = join(workDir, 'server.sqlite');
  server = await startSyncServer(serverPort, serverDb);
  const open = async (name: string, dir: string, viewport: { width: number; height: number }, username: string) => {
    const host = await startWebHost(name, server!.readyValue, join(workDir, dir));
    hosts.push(host);
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    await login(page, host.readyValue, username);
    await selectEvent(page, EVENT);
    return page;
  };
  samu = await open('SAMU 75', 'poste-samu75', SMALL, 'samu75');
  ars = await open('ARS IdF', 'poste-ars-idf', LARGE, 'ars-idf');
  pitie = await open('Pitié', 'poste-pitie', LARGE, 'pitie');
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

const CONSIGNE = `Consigne ${RUN} : ouvrir les lits de réanimation éphémères avant 18 h et les déclarer dans le ROR.`;

test('a SAMU 75 consigne expects the five Paris hospitals with critical care, chosen in the composer, and says so before it is sent', async () => {
  await samu.getByTestId('composer-kind').selectOption('consigne');
  const picker = samu.getByTestId('composer-acklist');
  await expect(picker).toBeVisible();
  await expect(samu.getByTestId('composer-acklist-kind')).toHaveValue('critical-care');
  await expect(samu.getByTestId('composer-acklist-count')).toHaveText('5 postes attendus');
  await expect(samu.getByTestId('composer-acklist-preview')).toContainText('Pitié-Salpêtrière');
  await samu.getByTestId('composer-body').fill(CONSIGNE);
  await shot(samu, 'issue7-acklist-composer-1366');

  // A custom list: searched by name, Entrée adds the first match.
  await samu.getByTestId('composer-acklist-kind').selectOption('custom');
  await expect(samu.getByTestId('composer-acklist-count')).toHaveText('aucun poste');
  await samu.getByTestId('composer-acklist-search').fill('necker');
  await expect(samu.getByTestId('composer-acklist-results')).toContainText('Necker');
  await samu.getByTestId('composer-acklist-search').press('Enter');
  await expect(samu.getByTestId('composer-acklist-chosen')).toContainText('Necker');
  await expect(samu.getByTestId('composer-acklist-count')).toHaveText('1 poste attendu');
  await shot(samu, 'issue7-acklist-custom-1366');

  // Back to the critical-care list, and sent.
  await samu.getByTestId('composer-acklist-kind').selectOption('critical-care');
  await expect(samu.getByTestId('composer-acklist-count')).toHaveText('5 postes attendus');
  await samu.getByTestId('composer-priority').selectOption('important');
  await samu.getByTestId('composer-body').press('Control+Enter');
  await expect(samu.getByTestId('composer-body')).toHaveValue('');
  await expect(gridRow(samu, CONSIGNE)).toBeVisible();
});

test('Pitié acknowledges; the SAMU counts 1 / 5 against its list and sees the four hospitals still missing', async () => {
  await expect(gridRow(pitie, CONSIGNE)).toBeVisible();
  await gridRow(pitie, CONSIGNE).click();
  await pitie.getByTestId('ack-button').click();
  await expect(pitie.getByTestId('ack-button')).toHaveCount(0);

  await gridRow(samu, CONSIGNE).click();
  const panel = samu.getByTestId('ack-panel');
  await expect(samu.getByTestId('ack-count')).toContainText('1 / 5');
  await expect(samu.getByTestId('ack-list-label')).toHaveText('Liste : Établissements avec soins critiques — Paris (75)');
  await expect(panel.getByTestId('ack-done')).toContainText('Pitié-Salpêtrière');
  await expect(panel.getByTestId('ack-missing').locator('li')).toHaveCount(4);
  await expect(panel.getByTestId('ack-missing')).toContainText('Necker');
  await shot(samu, 'issue7-acklist-panel-1366');
  await samu.setViewportSize(LARGE);
  await shot(samu, 'issue7-acklist-panel-1920');
  await samu.setViewportSize(SMALL);

  // The ARS reads the same count.
  await gridRow(ars, CONSIGNE).click();
  await expect(ars.getByTestId('ack-count')).toContainText('1 / 5');
});

test('SAMU 75 opens its reinforcement room: posts, who holds each, who comes next', async () => {
  await samu.getByTestId('event-view-room').click();
  const room = samu.getByTestId('room-SR:75');
  await expect(room).toContainText('Salle de renfort du SAMU 75');
  for (const [label, kind] of [
    ['Régulation 3', 'regulation'],
    ['Ligne Covid 2', 'phone'],
  ]) {
    await room.getByTestId('room-post-label').fill(label);
    await room.getByTestId('room-post-kind').selectOption(kind);
    await room.getByTestId('room-post-open').click();
    await expect(room.getByTestId('room-post').filter({ hasText: label })).toBeVisible();
  }
  const desk = room.locator('[data-testid="room-post"][data-label="Régulation 3"]');
  await expect(desk.getByTestId('room-current')).toContainText('Non tenu');

  // Now, for 12 hours (the form's default), then the next shift where this one ends.
  await desk.getByTestId('room-assign').click();
  await desk.getByTestId('room-shift-person').fill('Dr Claire Martin');
  await desk.getByTestId('room-shift-qualification').fill('Médecin régulateur');
  await desk.getByTestId('room-shift-submit').click();
  await expect(desk.getByTestId('room-current')).toContainText('Dr Claire Martin');
  await desk.getByTestId('room-assign').click();
  await desk.getByTestId('room-shift-person').fill('Dr Paul Roche');
  await desk.getByTestId('room-shift-submit').click();
  await expect(desk.getByTestId('room-next')).toContainText('Dr Paul Roche');

  // A second shift over the same hours is refused with who holds the post.
  await desk.getByTestId('room-assign').click();
  await desk.getByTestId('room-shift-person').fill('Dr Intrus');
  const start = await desk.getByTestId('room-shift-start').inputValue();
  const later = new Date(Date.parse(start) - 3 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  await desk
    .getByTestId('room-shift-start')
    .fill(`${later.getFullYear()}-${p(later.getMonth() + 1)}-${p(later.getDate())}T${p(later.getHours())}:${p(later.getMinutes())}`);
  await desk.getByTestId('room-shift-submit').click();
  await expect(room.getByTestId('room-error')).toContainText('est déjà tenu par Dr Paul Roche');
  await expect(room.getByTestId('room-count')).toHaveText('2 postes ouverts · 1 tenu');
  await shot(samu, 'issue7-room-samu-1366');
  await samu.setViewportSize(LARGE);
  await shot(samu, 'issue7-room-samu-1920');
  await samu.setViewportSize(SMALL);
});

test('the ARS reads the room, the hospital has none', async () => {
  await ars.getByTestId('event-view-room').click();
  const room = ars.getByTestId('room-SR:75');
  const desk = room.locator('[data-testid="room-post"][data-label="Régulation 3"]');
  await expect(desk.getByTestId('room-current')).toContainText('Dr Claire Martin');
  await expect(desk.getByTestId('room-next')).toContainText('Dr Paul Roche');
  await expect(room).toContainText('seul le SAMU tient sa salle de renfort');
  await expect(room.getByTestId('room-open-form')).toHaveCount(0);
  await expect(room.getByTestId('room-assign')).toHaveCount(0);
  await shot(ars, 'issue7-room-ars-1920');
  await ars.setViewportSize(SMALL);
  await shot(ars, 'issue7-room-ars-1366');
  await ars.setViewportSize(LARGE);

  await expect(pitie.getByTestId('event-view-room')).toHaveCount(0);
  await expect(pitie.getByTestId('room-panel')).toHaveCount(0);
});

test('a shift written while the sync server is down waits in the outbox, then reaches the ARS', async () => {
  if (!server) throw new Error('no sync server');
  await server.stop('SIGKILL');
  await expect(syncState(samu)).toHaveText('Hors ligne');
  const room = samu.getByTestId('room-SR:75');
  const line = room.locator('[data-testid="room-post"][data-label="Ligne Covid 2"]');
  await line.getByTestId('room-assign').click();
  await line.getByTestId('room-shift-person').fill('Julie Bernard');
  await line.getByTestId('room-shift-qualification').fill('ARM');
  await line.getByTestId('room-shift-submit').click();
  await expect(line.getByTestId('room-current')).toContainText('Julie Bernard');
  await expect(line.getByTestId('room-current')).toContainText('en attente d’envoi');
  await expect(samu.getByTestId('sync-pending')).toHaveText(/\b1 en attente/);
  await shot(samu, 'issue7-room-offline-1366');

  server = await startSyncServer(serverPort, serverDb);
  await expect(syncState(samu)).toHaveText('En ligne', { timeout: RECONNECT_TIMEOUT_MS });
  await expect(line.getByTestId('room-current')).not.toContainText('en attente', { timeout: RECONNECT_TIMEOUT_MS });
  const atArs = ars.getByTestId('room-SR:75').locator('[data-testid="room-post"][data-label="Ligne Covid 2"]');
  await expect(atArs.getByTestId('room-current')).toContainText('Julie Bernard', { timeout: RECONNECT_TIMEOUT_MS });
  await expect(ars.getByTestId('room-SR:75').getByTestId('room-count')).toHaveText('2 postes ouverts · 2 tenus');
});
