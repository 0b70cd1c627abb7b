/**
 * The main courante end to end, all real: a sync server on a loopback port with its own
 * SQLite file, two web hosts (two workstations with their own data directories) for SAMU 75
 * and ARS Île-de-France, the built renderer in Debian's Chromium, one browser context each.
 *
 * The steps share one story and run in order: live delivery, an outage of the sync server
 * (the message written offline waits in the outbox and arrives after the restart), a
 * consigne acknowledged by SAMU 75 whose author sees the acknowledgement, and a message the
 * server refuses (its event was closed while the workstation was off) shown with its reason
 * and resent elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import {
  eventItem,
  gridRow,
  login,
  openEvent,
  post,
  RECONNECT_TIMEOUT_MS,
  selectEvent,
  shot,
  startSyncServer,
  startWebHost,
  syncState,
} from './support/vigie';

test.describe.configure({ mode: 'serial' });

const RUN = Date.now().toString(36);
const EVENT_TITLE = `Exercice NRBC gare de Lyon ${RUN}`;

let workDir = '';
let serverPort = 0;
let serverDb = '';
let server: StartedProcess | null = null;
/** Every web host started, for the cleanup; the SAMU's is restarted once. */
const hosts: StartedProcess[] = [];
let samuHost: StartedProcess;
let samuDataDir = '';
let arsUrl = '';
let samuContext: BrowserContext;
let arsContext: BrowserContext;
let samu: Page;
let ars: Page;

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  serverPort = await freePort();
  serverDb = join(workDir, 'server.sqlite');
  server = await startSyncServer(serverPort, serverDb);
  samuDataDir = join(workDir, 'poste-samu75');
  samuHost = await startWebHost('SAMU 75', server.readyValue, samuDataDir);
  hosts.push(samuHost);
  const arsHost = await startWebHost('ARS IdF', server.readyValue, join(workDir, 'poste-ars-idf'));
  hosts.push(arsHost);
  arsUrl = arsHost.readyValue;

  samuContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  arsContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  samu = await samuContext.newPage();
  ars = await arsContext.newPage();
});

test.afterAll(async () => {
  await samuContext?.close();
  await arsContext?.close();
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    // The processes' own words, next to Playwright's report, say why a step failed.
    for (const p of [server, ...hosts]) if (p) await testInfo.attach(`${p.name} output`, { body: p.output(), contentType: 'text/plain' });
  }
});

test('signing in: a wrong password is refused in French, the server address in view', async () => {
  await ars.goto(arsUrl);
  await expect(ars.getByTestId('login-server')).toHaveText(server?.readyValue.replace(/\/$/, '') ?? '');
  await ars.getByTestId('login-username').fill('ars-idf');
  await ars.getByTestId('login-password').fill('mauvais-mot-de-passe');
  await ars.getByTestId('login-submit').click();
  await expect(ars.getByTestId('login-error')).toHaveText('Identifiant ou mot de passe incorrect.');
  await shot(ars, '00-login-refused');

  await login(ars, arsUrl, 'ars-idf');
  await login(samu, samuHost.readyValue, 'samu75');
});

test('both workstations are signed in, online, and see a new event opened by the ARS', async () => {
  await expect(samu.getByTestId('user-identity')).toContainText('SAMU 75');
  await expect(ars.getByTestId('user-identity')).toContainText('Île-de-France');
  await expect(syncState(samu)).toHaveText('En ligne');
  await expect(syncState(ars)).toHaveText('En ligne');
  await expect(samu.getByTestId('sync-pending')).toContainText('0');

  // Alt+1..4 switch boards (the stocks board has landed: no « à venir » page is left), F1 lists the keys.
  await samu.keyboard.press('Alt+2');
  await expect(samu.getByTestId('transfers-board')).toBeVisible();
  await expect(samu.getByTestId('nav-transfers')).toHaveAttribute('aria-current', 'page');
  await samu.getByTestId('nav-stocks').click();
  await expect(samu.getByTestId('stocks-board')).toBeVisible();
  await expect(samu.getByTestId('coming-soon')).toHaveCount(0);
  await samu.keyboard.press('Alt+1');
  await expect(samu.getByTestId('stocks-board')).toHaveCount(0);
  await expect(samu.getByTestId('nav-eventlog')).toHaveAttribute('aria-current', 'page');
  await samu.keyboard.press('F1');
  await expect(samu.getByTestId('help-panel')).toContainText('Ctrl+Entrée');
  await shot(samu, '00-samu-shortcuts-help');
  await samu.keyboard.press('Escape');
  await expect(samu.getByTestId('help-panel')).toHaveCount(0);

  await openEvent(ars, EVENT_TITLE, 'R:11');
  // The SAMU's list receives the event live (same branch: Île-de-France above Paris).
  await expect(eventItem(samu, EVENT_TITLE)).toBeVisible();
  await selectEvent(samu, EVENT_TITLE);
  await shot(ars, '01-ars-event-opened');
});

test('a message posted by SAMU 75 appears live at the ARS', async () => {
  const body = `Point de situation ${RUN} : 4 victimes en urgence absolue, PMA installé hall 1.`;
  await post(samu, { body, kind: 'information', priority: 'important' });
  await expect(gridRow(samu, body)).toBeVisible();
  await expect(gridRow(ars, body)).toBeVisible();
  await expect(gridRow(ars, body)).toContainText('SAMU 75');
  await expect(gridRow(ars, body)).toContainText('Important');

  // The full text and its metadata in the detail pane.
  await gridRow(ars, body).click();
  await expect(ars.getByTestId('message-detail')).toContainText(body);
  await expect(ars.getByTestId('message-detail')).toContainText('Dr Marc Dubois');
  await shot(ars, '02-ars-receives-samu-message');
});

test('an urgent message from another workstation is announced', async () => {
  const body = `URGENT ${RUN} : afflux de 12 blessés vers la Pitié-Salpêtrière, déclenchement plan blanc demandé.`;
  await post(samu, { body, kind: 'demande', priority: 'urgent' });
  // One banner under the header, naming the author's post first.
  const banner = ars.getByTestId('urgent-banner').filter({ hasText: body.slice(0, 40) });
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(banner.getByTestId('urgent-from')).toHaveText('SAMU 75 — Paris · Dr Marc Dubois');
  // The author is not alerted by their own message.
  await expect(samu.getByTestId('urgent-banner')).toHaveCount(0);
  await shot(ars, '03-ars-urgent-announcement');
  await banner.getByRole('button', { name: 'Afficher' }).click();
  await expect(banner).toHaveCount(0);
  await expect(ars.getByTestId('message-detail')).toContainText(body);
});

test('filters narrow the log: priority, kind, free text (typed after "/")', async () => {
  const urgent = gridRow(ars, `URGENT ${RUN}`);
  const situation = gridRow(ars, `Point de situation ${RUN}`);
  await expect(urgent).toBeVisible();
  await expect(situation).toBeVisible();

  await ars.getByTestId('filter-priority').getByRole('button', { name: 'Urgent' }).click();
  await expect(situation).toHaveCount(0);
  await expect(urgent).toBeVisible();
  await ars.getByTestId('filter-priority').getByRole('button', { name: 'Urgent' }).click();
  await expect(situation).toBeVisible();

  await ars.getByTestId('filter-kind').getByRole('button', { name: 'Information' }).click();
  await expect(urgent).toHaveCount(0);
  await expect(situation).toBeVisible();
  await ars.getByTestId('filter-kind').getByRole('button', { name: 'Information' }).click();

  // "/" focuses the search from anywhere; the text filter is applied by main after a pause in typing.
  await ars.getByTestId('message-grid').click();
  await ars.keyboard.press('/');
  await expect(ars.getByTestId('filter-text')).toBeFocused();
  await ars.keyboard.type('pitié-salpêtrière');
  await expect(situation).toHaveCount(0);
  await expect(urgent).toBeVisible();
  await expect(ars.getByTestId('filter-count')).toHaveText('1 message');
  await shot(ars, '03b-ars-filtered');
  await ars.keyboard.press('Escape');
  await expect(ars.getByTestId('filter-text')).toHaveValue('');
  await expect(situation).toBeVisible();
});

test('a message written while the sync server is down waits, then arrives after the restart', async () => {
  if (!server) throw new Error('no sync server');
  await server.stop('SIGKILL');
  await expect(syncState(samu)).toHaveText('Hors ligne');
  await expect(syncState(ars)).toHaveText('Hors ligne');

  const body = `Message hors ligne ${RUN} : 2 équipes SMUR engagées, bilan à 14 h.`;
  await post(samu, { body });
  // Written locally at once: visible to its author, marked pending, counted in the status bar.
  await expect(gridRow(samu, body)).toBeVisible();
  await expect(gridRow(samu, body)).toContainText('en attente');
  await expect(samu.getByTestId('sync-pending')).toHaveText(/\b1 en attente/);
  await expect(syncState(samu)).toHaveText('Hors ligne');
  await expect(gridRow(ars, body)).toHaveCount(0);
  await shot(samu, '04-samu-offline-one-pending');

  // Same port, same database: the workstations find it again on their own.
  server = await startSyncServer(serverPort, serverDb);
  await expect(gridRow(ars, body)).toBeVisible({ timeout: RECONNECT_TIMEOUT_MS });
  await expect(samu.getByTestId('sync-pending')).toHaveText(/\b0 en attente/, { timeout: RECONNECT_TIMEOUT_MS });
  await expect(syncState(samu)).toHaveText('En ligne', { timeout: RECONNECT_TIMEOUT_MS });
  await expect(gridRow(samu, body)).not.toContainText('en attente');
  await expect(samu.getByTestId('sync-last')).toHaveText(/Dernière synchro \d\d:\d\d:\d\d/);
  await shot(samu, '05-samu-back-online');
  await shot(ars, '06-ars-receives-offline-message');
});

test('a consigne from ARS Île-de-France is acknowledged by SAMU 75 and its author sees it', async () => {
  const body = `Consigne ${RUN} : orienter les urgences relatives vers les hôpitaux de la petite couronne.`;
  await post(ars, { body, kind: 'consigne', priority: 'important', territory: 'R:11' });
  await expect(gridRow(ars, body)).toContainText('accusés 0/8');

  await expect(gridRow(samu, body)).toBeVisible();
  await gridRow(samu, body).click();
  await expect(samu.getByTestId('message-detail')).toContainText(body);
  const ack = samu.getByTestId('ack-button');
  await expect(ack).toBeVisible();
  await shot(samu, '07-samu-consigne-to-acknowledge');
  await ack.click();
  await expect(ack).toHaveCount(0);
  await expect(samu.getByTestId('message-detail')).toContainText('Réception accusée par votre territoire');

  // The author sees the count in the grid and, in the panel, who acknowledged and who has not.
  await expect(gridRow(ars, body)).toContainText('accusés 1/8');
  await gridRow(ars, body).click();
  const panel = ars.getByTestId('ack-panel');
  await expect(ars.getByTestId('ack-count')).toContainText('1 / 8');
  await expect(panel.getByTestId('ack-done')).toContainText('SAMU 75');
  await expect(panel.getByTestId('ack-done')).toContainText('Dr Marc Dubois');
  await expect(panel.getByTestId('ack-missing')).toContainText('SAMU 93');
  // The author does not acknowledge their own consigne.
  await expect(ars.getByTestId('ack-button')).toHaveCount(0);
  await shot(ars, '08-ars-sees-acknowledgement');

  // A new version replaces the consigne: the old one is marked "remplacée" and links to the new one.
  await ars.getByTestId('new-version-button').click();
  await expect(ars.getByTestId('composer-context')).toContainText('Nouvelle version de la consigne');
  await expect(ars.getByTestId('composer-kind')).toBeDisabled();
  const v2 = `Consigne ${RUN} v2 : orienter les urgences relatives vers la petite couronne, sauf Seine-Saint-Denis saturé.`;
  await ars.getByTestId('composer-body').fill(v2);
  await ars.getByTestId('composer-body').press('Control+Enter');
  await expect(gridRow(ars, v2)).toContainText('accusés 0/8');
  const superseded = gridRow(samu, body).locator('[data-badge="superseded"]');
  await expect(superseded).toBeVisible();
  await superseded.click();
  await expect(samu.getByTestId('message-detail')).toContainText(v2);
  await expect(samu.getByTestId('ack-button')).toBeVisible();

  // A correction of any message points at the one it corrects.
  const original = `Point de situation ${RUN}`;
  await gridRow(samu, original).click();
  await samu.getByTestId('correct-button').click();
  await expect(samu.getByTestId('composer-context')).toContainText('Correction du message');
  const fixed = `Point de situation ${RUN} (corrigé) : 5 victimes en urgence absolue.`;
  await samu.getByTestId('composer-body').fill(fixed);
  await samu.getByTestId('composer-send').click();
  await expect(gridRow(ars, fixed).locator('[data-badge="correction"]')).toBeVisible();
  await expect(gridRow(ars, `victimes en urgence absolue, PMA installé`).locator('[data-badge="corrected"]')).toBeVisible();
  await shot(samu, '08b-samu-new-version-and-correction');
});

test('a message the server refuses is shown with its reason, never dropped, and can be fixed and resent', async () => {
  if (!server) throw new Error('no sync server');
  // The SAMU workstation writes while the server is down, then is shut down with its outbox on disk.
  await server.stop('SIGKILL');
  await expect(syncState(samu)).toHaveText('Hors ligne');
  const body = `Bilan PMA ${RUN} : 3 évacuations vers Lariboisière, 1 vers Saint-Louis.`;
  await post(samu, { body, kind: 'information' });
  await expect(samu.getByTestId('sync-pending')).toHaveText(/\b1 en attente/);
  await samuHost.stop();

  // Meanwhile the ARS, back online, closes the event.
  server = await startSyncServer(serverPort, serverDb);
  await expect(syncState(ars)).toHaveText('En ligne', { timeout: RECONNECT_TIMEOUT_MS });
  await ars.getByTestId('event-close').click();
  await ars.getByTestId('event-close-confirm').click();
  await expect(eventItem(ars, EVENT_TITLE)).toContainText('Clos');

  // The workstation restarts on the same data: the session resumes, the outbox is replayed and refused.
  samuHost = await startWebHost('SAMU 75 (redémarré)', server.readyValue, samuDataDir);
  hosts.push(samuHost);
  await samu.goto(samuHost.readyValue);
  const refused = samu.getByTestId('rejected-list');
  await expect(refused).toBeVisible({ timeout: RECONNECT_TIMEOUT_MS });
  await expect(refused).toContainText('Opérations refusées par le serveur');
  await expect(refused).toContainText(body.slice(0, 40));
  await expect(refused).toContainText('Cet évènement est clos');
  await expect(samu.getByTestId('sync-pending')).toHaveText(/\b0 en attente/);
  await expect(gridRow(ars, body)).toHaveCount(0);
  await shot(samu, '09-samu-refused-operation');

  // "Corriger et renvoyer": the text comes back in the composer; the user sends it in an open event.
  await refused.getByRole('button', { name: 'Corriger et renvoyer' }).click();
  await expect(samu.getByTestId('composer-body')).toHaveValue(body);
  await selectEvent(samu, 'Covid-19 — vague 1');
  await expect(samu.getByTestId('composer-body')).toHaveValue(body);
  await samu.getByTestId('composer-send').click();
  await expect(gridRow(samu, body)).toBeVisible();
  // Fixed and sent: the refusal is dismissed, the message reaches the ARS in that event.
  await expect(refused).toHaveCount(0);
  await selectEvent(ars, 'Covid-19 — vague 1');
  await expect(gridRow(ars, body)).toBeVisible();
  await shot(samu, '10-samu-refusal-fixed-and-resent');
});
