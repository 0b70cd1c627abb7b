/**
 * A transfer end to end, all real (a sync server with its demo data, one web host per
 * workstation, the built renderer in Chromium at 1366×768): the SAMU 75 regulator requests a
 * transfer for a Pitié patient and proposes Bichat's medical ICU from the candidates; Bichat
 * accepts, which holds a bed: the ARS bed grid shows one available bed fewer, live, and the
 * ARS sees the transfer but not its clinical summary (the parties' only); the SAMU
 * organises the transport and marks the departure; Bichat marks the arrival. Keyboard only
 * once the board is open (N, P, A, O, D, V and Entrée).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { spawnSync } from 'node:child_process';
import { DEMO_PASSWORD, gridRow, login, openEvent, post, REPO_ROOT, selectEvent, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const BICHAT = '750100232';
let workDir = '';
let server: StartedProcess | null = null;
const hosts: Record<string, StartedProcess> = {};
const pages: Record<string, Page> = {};

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-transfers-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  for (const who of ['samu75', 'bichat', 'ars-idf']) {
    hosts[who] = await startWebHost(who, server.readyValue, join(workDir, who));
    pages[who] = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
    await login(pages[who], hosts[who].readyValue, who);
  }
});
test.afterAll(async () => {
  for (const p of Object.values(pages)) await p.context().close();
  for (const h of Object.values(hosts)) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

let number = '';
const card = (p: Page) => p.getByTestId(`transfer-card-${number}`);

async function bichatAvailable(ars: Page): Promise<number> {
  const row = ars.getByTestId('beds-grid').locator('.ag-row', { has: ars.getByTestId(`bed-row-U:${BICHAT}:REA_MED`) });
  await expect(row).toBeVisible();
  return Number(await row.locator('.ag-cell[col-id="available"]').innerText());
}

test('the SAMU requests a transfer and proposes a destination from the candidates, by keyboard', async () => {
  const samu = pages.samu75;
  await samu.keyboard.press('Alt+2');
  await expect(samu.getByTestId('transfers-board')).toBeVisible();
  await samu.keyboard.press('n');
  const form = samu.getByTestId('transfer-new');
  await expect(form).toBeVisible();
  await form.getByTestId('transfer-new-origin').selectOption('750100125');
  await form.getByTestId('transfer-new-urgency').selectOption('immediate');
  await form.getByTestId('transfer-new-summary').fill('SDRA sévère, FiO2 80 %, décubitus ventral ; pas de nom ni d’identifiant.');
  await form.getByTestId('transfer-new-send').click();
  const column = samu.getByTestId('transfer-column-demande');
  await expect(column.locator('[data-testid^="transfer-card-"]')).toHaveCount(1);
  number = ((await column.locator('[data-testid^="transfer-card-"]').getAttribute('data-testid')) ?? '').replace('transfer-card-', '');
  expect(number).toMatch(/^TR-[0-9A-F]{8}$/);
  await card(samu).focus();
  await samu.keyboard.press('Enter');
  await expect(samu.getByTestId('transfer-detail')).toContainText(number);
  await expect(samu.getByTestId('transfer-summary')).toContainText('SDRA sévère, FiO2 80 %');
  await samu.keyboard.press('p');
  const candidate = samu.getByTestId(`candidate-${BICHAT}:REA_MED`);
  await expect(candidate).toBeVisible();
  await shot(samu, 'transfers-candidates-1366');
  await candidate.focus();
  await samu.keyboard.press('Enter');
  await expect(samu.getByTestId('transfer-column-propose').getByTestId(`transfer-card-${number}`)).toBeVisible();
  await expect(samu.getByTestId('transfer-destination')).toContainText('Réanimation médicale');
  // The requesting SAMU updates the summary; the parties get the new text.
  await samu.getByTestId('transfer-summary-edit').click();
  await samu.getByTestId('transfer-summary-text').fill('SDRA sévère, FiO2 80 %, décubitus ventral ; à H+2 FiO2 70 %.');
  await samu.getByTestId('transfer-summary-save').click();
  await expect(samu.getByTestId('transfer-summary')).toContainText('FiO2 70 %');
});

test('Bichat accepts: a bed is held, and the ARS bed grid shows one available bed fewer, live', async () => {
  const ars = pages['ars-idf'];
  await ars.keyboard.press('Alt+3');
  await ars.getByTestId('beds-tab-grid').click();
  await ars.getByTestId('beds-filter-text').fill('bichat');
  const before = await bichatAvailable(ars);
  expect(before).toBeGreaterThan(0);

  const bichat = pages.bichat;
  await bichat.keyboard.press('Alt+2');
  await expect(card(bichat)).toBeVisible();
  await expect(card(bichat)).toContainText('À vous');
  await card(bichat).click();
  // Bichat became a party when proposed: the summary reached it.
  await expect(bichat.getByTestId('transfer-summary')).toContainText('à H+2 FiO2 70 %');
  await expect(bichat.getByTestId('transfer-summary-edit')).toHaveCount(0);
  await bichat.keyboard.press('a');
  await bichat.getByTestId('transfer-hold-hours').press('Enter');
  await expect(bichat.getByTestId('transfer-hold')).toContainText('Lit réservé jusqu’à');
  await expect(bichat.getByTestId('transfer-column-accepte').getByTestId(`transfer-card-${number}`)).toBeVisible();
  await shot(bichat, 'transfers-accepted-1366');

  await expect.poll(() => bichatAvailable(ars), { timeout: 20_000 }).toBe(before - 1);
  await shot(ars, 'transfers-hold-in-beds-1366');
  // The ARS follows the transfer but is no party to its clinical summary.
  await ars.keyboard.press('Alt+2');
  await ars.getByTestId(`transfer-card-${number}`).click();
  await expect(ars.getByTestId('transfer-summary-reserved')).toHaveText('Résumé clinique réservé aux parties du transfert');
  await expect(ars.getByTestId('transfer-detail')).not.toContainText('SDRA');
});

test('the SAMU organises the transport and marks the departure; Bichat marks the arrival', async () => {
  const samu = pages.samu75;
  await expect(samu.getByTestId('transfer-column-accepte').getByTestId(`transfer-card-${number}`)).toBeVisible({ timeout: 20_000 });
  await card(samu).click();
  await samu.keyboard.press('o');
  await samu.getByTestId('transfer-transport').selectOption('smur');
  // Entrée on a list opens it: Tab to « Confirmer », then Entrée.
  await samu.keyboard.press('Tab');
  await expect(samu.getByTestId('transfer-action-confirm')).toBeFocused();
  await samu.keyboard.press('Enter');
  await expect(samu.getByTestId('transfer-column-transport').getByTestId(`transfer-card-${number}`)).toBeVisible();
  await samu.keyboard.press('d');
  await samu.getByTestId('transfer-action-confirm').press('Enter');
  await expect(samu.getByTestId('transfer-column-en_route').getByTestId(`transfer-card-${number}`)).toBeVisible();

  const bichat = pages.bichat;
  await expect(bichat.getByTestId('transfer-column-en_route').getByTestId(`transfer-card-${number}`)).toBeVisible({ timeout: 20_000 });
  await card(bichat).click();
  await bichat.keyboard.press('v');
  await bichat.getByTestId('transfer-action-confirm').press('Enter');
  await expect(bichat.getByTestId('transfer-detail')).toContainText('arrivé');
  await expect(bichat.getByTestId('transfer-hold')).toContainText('Lit occupé par le patient arrivé');
  await expect(bichat.getByTestId('transfer-timeline').locator('li.tl-step')).toHaveCount(6);
  await shot(bichat, 'transfers-arrived-1366');
});

test('a SAMU regulator starts a transfer from a unit of the bed board: the unit is proposed as soon as the request is sent', async () => {
  const samu = pages.samu75;
  await samu.keyboard.press('Alt+3');
  await samu.getByTestId('beds-tab-around').click();
  const row = samu.getByTestId('around-table').locator('tbody tr').first();
  await row.focus();
  await samu.keyboard.press('Enter');
  const start = samu.getByTestId('unit-start-transfer');
  await expect(start).toBeVisible();
  await start.click();
  await expect(samu.getByTestId('transfers-board')).toBeVisible();
  await expect(samu.getByTestId('transfer-new-dest')).toContainText('Destination choisie');
  await samu.getByTestId('transfer-new-origin').selectOption('750100125');
  await samu.getByTestId('transfer-new-send').click();
  await expect(samu.getByTestId('transfer-column-propose').locator('[data-testid^="transfer-card-"]')).toHaveCount(1);
  await shot(samu, 'transfers-from-bed-board-1366');
});

test('the national cell plans a TGV of 12 patients to Nouvelle-Aquitaine and holds all their beds at once', async ({ browser }) => {
  // Twelve requests of the SAMU 75, as its outbox would push them.
  const res = await fetch(new URL('/api/login', server!.readyValue), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'samu75', password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const clientId = `e2e-samu75-${randomUUID().slice(0, 8)}`;
  const socket = io(server!.readyValue, { auth: { token, clientId }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const patient = { ageBand: '61-75', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true };
  const mutations = Array.from({ length: 12 }, (_, i) => ({
    clientId,
    mutationId: i + 1,
    name: 'transfer.create',
    args: { id: randomUUID(), patient, originFiness: '750100125', urgency: 'programmee' },
    at: new Date().toISOString(),
  }));
  const reply = (await socket.timeout(10_000).emitWithAck('sync:push', { clientId, mutations })) as { data?: { results: Array<{ status: string }> } };
  socket.disconnect();
  expect(reply.data?.results.filter((r) => r.status === 'applied')).toHaveLength(12);

  const host = await startWebHost('national', server!.readyValue, join(workDir, 'national'));
  hosts.national = host;
  const nat = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
  pages.national = nat;
  await login(nat, host.readyValue, 'national');
  await nat.keyboard.press('Alt+2');
  await nat.getByTestId('transfers-section-operations').click();
  await nat.getByTestId('operation-new-open').click();
  const form = nat.getByTestId('operation-new');
  await form.getByTestId('operation-label').fill('TGV médicalisé Paris → Bordeaux');
  await form.getByTestId('operation-leg-1-to').selectOption('Gare de Bordeaux Saint-Jean');
  await form.getByTestId('operation-region').selectOption('R:75');
  const boxes = form.locator('[data-testid^="operation-patient-"]');
  await expect(boxes).toHaveCount(12);
  for (let i = 0; i < 12; i++) await boxes.nth(i).check();
  await form.getByTestId('operation-create').click();
  const detail = nat.getByTestId('operation-detail');
  await expect(detail).toContainText('TGV médicalisé Paris → Bordeaux');
  await detail.getByTestId('operation-plan').click();
  await expect(detail.getByTestId('operation-plan-totals')).toContainText('12/12 patients placés');
  await expect(detail.getByTestId('operation-arithmetic').locator('li')).not.toHaveCount(0);
  await shot(nat, 'transfers-operation-plan-1366');
  await detail.getByTestId('operation-hold').click();
  await expect(detail).toContainText('lits réservés', { timeout: 20_000 });
  await expect(detail.getByTestId('operation-manifest').locator('[data-testid^="operation-manifest-row-"]')).toHaveCount(12);
  await expect(detail.getByTestId('operation-manifest')).not.toContainText('demandé');
  await expect(detail.getByTestId('operation-progress')).toContainText('12 patients · 0 embarqués à quai · 0 en route · 0 arrivés');
  await shot(nat, 'transfers-operation-held-1366');
  // One line in the national main courante for the whole operation.
  await nat.keyboard.press('Alt+1');
  await selectEvent(nat, 'Covid-19 — vague 1');
  await expect(gridRow(nat, 'Opération « TGV médicalisé Paris → Bordeaux » : 12 lits réservés en Nouvelle-Aquitaine.')).toBeVisible();
});

test('a SAMU regulator starts a transfer from a « Demande » of the main courante: its text becomes the clinical summary', async () => {
  const samu = pages.samu75;
  await samu.keyboard.press('Alt+1');
  const title = `Afflux Pitié ${randomUUID().slice(0, 6)}`;
  await openEvent(samu, title, 'D:75');
  const body = 'Demande de place en réanimation adulte : patient de 68 ans, SDRA, ventilé, COVID+.';
  await post(samu, { body, kind: 'demande', priority: 'important' });
  await gridRow(samu, body).click();
  await samu.getByTestId('message-start-transfer').click();
  await expect(samu.getByTestId('transfers-board')).toBeVisible();
  await expect(samu.getByTestId('transfer-new-summary')).toHaveValue(body);
  await samu.getByTestId('transfer-new-origin').selectOption('750100125');
  const before = await samu.getByTestId('transfer-column-demande').locator('[data-testid^="transfer-card-"]').count();
  await samu.getByTestId('transfer-new-send').click();
  const cards = samu.getByTestId('transfer-column-demande').locator('[data-testid^="transfer-card-"]');
  await expect(cards).toHaveCount(before + 1);
  await cards.last().click();
  await expect(samu.getByTestId('transfer-summary')).toContainText('SDRA, ventilé');
  await shot(samu, 'transfers-from-message-1366');
});

test('at 1920×1080 the board shows every column beside the detail', async () => {
  const samu = pages.samu75;
  await samu.setViewportSize({ width: 1920, height: 1080 });
  await samu.keyboard.press('Alt+2');
  await samu.getByTestId('transfers-filter').selectOption('all');
  const card = samu.getByTestId('transfer-column-propose').locator('[data-testid^="transfer-card-"]').first();
  await card.click();
  await expect(samu.getByTestId('transfer-detail')).toBeVisible();
  // Every column is within the window, none pushed off to the right.
  for (const c of ['demande', 'propose', 'accepte', 'en_route']) {
    const box = await samu.getByTestId(`transfer-column-${c}`).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1920);
  }
  // Twelve acceptances of the evacuation reached the SAMU at once: two shown, the rest counted.
  await expect(samu.getByTestId('transfer-notices').locator('.transfer-notice:not(.notice-more)')).toHaveCount(2);
  await expect(samu.getByTestId('transfer-notices-more')).toContainText(/et \d+ autres avis/);
  await shot(samu, 'transfers-board-1920');
  await samu.getByTestId('transfer-notices-close-all').click();
  await expect(samu.getByTestId('transfer-notices')).toHaveCount(0);
});

test('once its retention has run, the arrived transfer’s clinical summary is erased: Bichat’s detail says why, live', async () => {
  const bichat = pages.bichat;
  // Still open on the arrived transfer since its arrival.
  await expect(bichat.getByTestId('transfer-detail')).toContainText(number);
  await expect(bichat.getByTestId('transfer-summary')).toContainText('à H+2 FiO2 70 %');
  // The operator's command beside the running server (delay 0: every finished transfer is due).
  const cli = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['sync-server/src/cli.ts', '--db', join(workDir, 'server.sqlite'), '--summary-retention-days', '0', '--purge-summaries'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  expect(Number(cli.stdout.trim())).toBeGreaterThan(0);
  // The command line pokes no one: the next change that reaches Bichat (an event opened by the SAMU 75) brings the tombstone with it.
  const res = await fetch(new URL('/api/login', server!.readyValue), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu75', password: DEMO_PASSWORD }) });
  const { token } = (await res.json()) as { token: string };
  const clientId = `e2e-samu75-${randomUUID().slice(0, 8)}`;
  const socket = io(server!.readyValue, { auth: { token, clientId }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const event = { clientId, mutationId: 1, name: 'event.open', args: { id: randomUUID(), title: 'Point de situation', territory: 'D:75' }, at: new Date().toISOString() };
  const reply = (await socket.timeout(10_000).emitWithAck('sync:push', { clientId, mutations: [event] })) as { data?: { results: Array<{ status: string }> } };
  socket.disconnect();
  expect(reply.data?.results[0]?.status).toBe('applied');
  await expect(bichat.getByTestId('transfer-summary-purged')).toHaveText('Résumé clinique effacé (durée de conservation écoulée)', { timeout: 20_000 });
  await expect(bichat.getByTestId('transfer-detail')).not.toContainText('FiO2');
});
