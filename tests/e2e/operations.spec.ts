/**
 * A mass evacuation end to end, all real (a sync server with its demo data, a web host, the
 * built renderer in Chromium): the national cell builds a medicalised TGV of two cars with
 * their teams and a stop at Rennes (one patient alights there), the form refusing a team
 * named after a person; plans it, holds every bed at once, boards a whole car then one
 * patient, and reads the progress per destination and per car and the manifest per car.
 * Screenshots at 1366×768 and 1920×1080.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { freePort, type StartedProcess } from './support/processes';
import { DEMO_PASSWORD, gridRow, login, selectEvent, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

let workDir = '';
let server: StartedProcess | null = null;
let host: StartedProcess | null = null;
let nat: Page;
const numbers: string[] = [];

test.beforeAll(async ({ browser }) => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-operations-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  // Four waiting transfers from the Pitié, pushed as the SAMU 75's workstation would.
  const res = await fetch(new URL('/api/login', server.readyValue), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'samu75', password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const clientId = `e2e-ops-${randomUUID().slice(0, 8)}`;
  const socket = io(server.readyValue, { auth: { token, clientId }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const patients = [
    { ageBand: '61-75', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false },
    { ageBand: '41-60', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: true },
    { ageBand: '61-75', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: false, ecmo: false },
    { ageBand: '76+', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false },
  ];
  const mutations = patients.map((patient, i) => {
    const id = randomUUID();
    numbers.push(`TR-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`);
    return { clientId, mutationId: i + 1, name: 'transfer.create', args: { id, patient, originFiness: '750100125', urgency: 'programmee', summary: 'Résumé clinique confidentiel' }, at: new Date().toISOString() };
  });
  const reply = (await socket.timeout(10_000).emitWithAck('sync:push', { clientId, mutations })) as { data?: { results: Array<{ status: string }> } };
  socket.disconnect();
  expect(reply.data?.results.filter((r) => r.status === 'applied')).toHaveLength(4);
  host = await startWebHost('national', server.readyValue, join(workDir, 'national'));
  nat = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
  await login(nat, host.readyValue, 'national');
});
test.afterAll(async () => {
  await nat?.context().close();
  await host?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the national cell builds a TGV of two cars with a stop, the form refusing a team named after a person', async () => {
  await nat.keyboard.press('Alt+2');
  await nat.getByTestId('transfers-section-operations').click();
  await nat.getByTestId('operation-new-open').click();
  const form = nat.getByTestId('operation-new');
  await form.getByTestId('operation-label').fill('TGV sanitaire Paris → Rennes → Brest');
  await form.getByTestId('operation-region').selectOption('R:53');
  await form.getByTestId('operation-leg-1-from').selectOption('Paris Gare Montparnasse');
  await form.getByTestId('operation-leg-1-to').selectOption('Gare de Rennes');
  await form.getByTestId('operation-add-leg').click();
  await expect(form.getByTestId('operation-leg-2-from')).toHaveValue('Gare de Rennes');
  await form.getByTestId('operation-leg-2-to').selectOption('Gare de Brest');
  await form.getByTestId('operation-car-1-places').fill('2');
  await form.getByTestId('operation-car-2-places').fill('2');
  await form.getByTestId('operation-car-2-team').fill('SAMU 29 équipe 3');
  for (const n of numbers) await form.getByTestId(`operation-patient-${n}`).check();
  await form.getByTestId('operation-car-1-team').fill('Équipe SAMU 75 — Dr Martin');
  await expect(form.getByTestId('operation-form-error')).toContainText('nommez l’équipe par son service');
  await expect(form.getByTestId('operation-create')).toBeDisabled();
  await form.getByTestId('operation-car-1-team').fill('SMUR Paris équipe 1');
  await expect(form.getByTestId('operation-form-error')).toHaveCount(0);
  // Placed in order, two per car; the first patient alights at the stop.
  await expect(form.getByTestId(`operation-seat-car-${numbers[2]}`)).toHaveValue('1');
  await form.getByTestId(`operation-seat-alight-${numbers[0]}`).selectOption({ label: 'Gare de Rennes' });
  await shot(nat, 'operations-form-1366');
  await form.getByTestId('operation-create').click();
  const detail = nat.getByTestId('operation-detail');
  await expect(detail).toContainText('TGV sanitaire Paris → Rennes → Brest');
  await expect(detail.getByTestId('operation-journey').locator('li')).toHaveCount(2);
  await expect(detail.getByTestId(`operation-manifest-row-${numbers[0]}`)).toContainText('Gare de Rennes');
  // Re-planned before its holds: the second car's team changes, the stop is kept.
  await detail.getByTestId('operation-edit').click();
  const edit = nat.getByTestId('operation-new');
  await expect(edit.getByTestId('operation-leg-2-from')).toHaveValue('Gare de Rennes');
  await edit.getByTestId('operation-car-2-team').fill('SAMU 29 équipe 4');
  await edit.getByTestId('operation-create').click();
  await expect(detail.getByTestId('operation-manifest-car-2')).toContainText('SAMU 29 équipe 4 (4 pers.)');
  await expect(detail.getByTestId(`operation-manifest-row-${numbers[0]}`)).toContainText('Gare de Rennes');
});

test('it is planned from each stop, every bed held at once, boarded by car and by patient; progress and manifest per car', async () => {
  const detail = nat.getByTestId('operation-detail');
  await detail.getByTestId('operation-plan').click();
  await expect(detail.getByTestId('operation-plan-totals')).toContainText('4/4 patients placés');
  await expect(detail.getByTestId(`operation-unit-${numbers[0]}`).locator('option:checked')).toContainText('Rennes');
  await detail.getByTestId('operation-hold').click();
  await expect(detail).toContainText('lits réservés', { timeout: 20_000 });
  await expect(detail.getByTestId('operation-progress')).toContainText('4 patients · 0 embarqués à quai · 0 en route · 0 arrivés');

  await detail.getByTestId('operation-board-car-1').click();
  await expect(detail.getByTestId('operation-progress')).toContainText('4 patients · 2 embarqués à quai', { timeout: 20_000 });
  await detail.getByTestId(`operation-board-${numbers[2]}`).click();
  await expect(detail.getByTestId('operation-progress')).toContainText('4 patients · 3 embarqués à quai · 0 en route · 0 arrivés', { timeout: 20_000 });
  await expect(detail.getByTestId('operation-board-car-1')).toHaveCount(0);
  await expect(detail.getByTestId('operation-board-car-2')).toBeVisible();
  const byCar = detail.getByTestId('operation-progress-car');
  await expect(byCar.locator('tbody tr').nth(0)).toContainText('Voiture 12200');
  await expect(byCar.locator('tbody tr').nth(1)).toContainText('Voiture 22100');
  await expect(detail.getByTestId('operation-progress-dest').locator('tbody tr')).not.toHaveCount(0);
  const car1 = detail.getByTestId('operation-manifest-car-1');
  await expect(car1).toContainText('SMUR Paris équipe 1 (4 pers.)');
  await expect(car1.getByTestId(`operation-manifest-row-${numbers[1]}`)).toContainText('ventilé · ECMO');
  await expect(car1.getByTestId(`operation-manifest-row-${numbers[1]}`)).toContainText('à bord ✓');
  // Never the clinical summary.
  await expect(detail.getByTestId('operation-manifest')).not.toContainText('Résumé clinique confidentiel');
  await detail.getByTestId('operation-progress-view').scrollIntoViewIfNeeded();
  await shot(nat, 'operations-progress-1366');
  await nat.setViewportSize({ width: 1920, height: 1080 });
  await shot(nat, 'operations-progress-1920');
  // « Imprimer cette voiture »: when the print starts, the sheet under body holds that car alone, without buttons nor clinical summary.
  await nat.evaluate(() => {
    const w = window as Window & { printed?: string };
    w.print = () => {
      w.printed = document.querySelector('body > [data-testid="operation-print-sheet"]')?.outerHTML ?? '';
    };
  });
  await detail.getByTestId('operation-manifest-car-1').getByRole('button', { name: 'Imprimer cette voiture' }).click();
  const sheet = await nat.evaluate(() => (window as Window & { printed?: string }).printed ?? '');
  expect(sheet).toContain('Manifeste — Voiture 1');
  expect(sheet).not.toContain('Manifeste — Voiture 2');
  expect(sheet).toContain(numbers[1]);
  expect(sheet).not.toContain('<button');
  expect(sheet).not.toContain('Résumé clinique confidentiel');
  await expect(nat.getByTestId('operation-print-sheet')).toHaveCount(0);
  // What the paper shows: that sheet under the print stylesheet, the app hidden.
  await nat.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), sheet);
  await nat.emulateMedia({ media: 'print' });
  await expect(nat.getByTestId('operation-print-sheet')).toBeVisible();
  await expect(detail).toBeHidden();
  await shot(nat, 'operations-manifest-print-1920');
  await nat.evaluate(() => document.querySelector('body > [data-testid="operation-print-sheet"]')?.remove());
  await nat.emulateMedia({ media: 'screen' });
  // A boarded patient cannot be taken out; cancelling is refused with the reason.
  await expect(detail.getByTestId(`operation-release-${numbers[0]}`)).toHaveCount(0);
  await detail.getByTestId('operation-cancel').click();
  await detail.getByTestId('operation-cancel-reason').fill('Train indisponible');
  await detail.getByTestId('operation-cancel-confirm').click();
  await expect(detail.getByTestId('operation-error')).toContainText('3 patients sont déjà embarqués');
  // Boarding left a line in the national main courante.
  await nat.keyboard.press('Alt+1');
  await selectEvent(nat, 'Covid-19 — vague 1');
  await expect(gridRow(nat, 'Opération « TGV sanitaire Paris → Rennes → Brest » : 2 patients embarqués (Voiture 1).')).toBeVisible();
});
