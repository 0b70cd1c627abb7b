/**
 * User administration and the audit trail, all real: a sync server with the demo accounts,
 * a web host for the ARS Île-de-France and one for the national cell, Chromium at 1366×768.
 * The ARS creates a SAMU account of its région and disables it from the « Administration »
 * panel, is refused an account of another région, and cannot see the audit trail; the
 * national user finds both changes and the refusal in the audit trail, filters and exports it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { login, shot, startSyncServer, startWebHost } from './support/vigie';

let workDir = '';
let server: StartedProcess | null = null;
let arsHost: StartedProcess | null = null;
let nationalHost: StartedProcess | null = null;

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-admin-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  arsHost = await startWebHost('ars-idf', server.readyValue, join(workDir, 'ars-idf'));
  nationalHost = await startWebHost('national', server.readyValue, join(workDir, 'national'));
});
test.afterAll(async () => {
  await arsHost?.stop();
  await nationalHost?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const context = { viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true } as const;

test('an ARS creates and disables a SAMU account of its région; the national user sees it in the audit trail', async ({ browser }) => {
  const ars = await (await browser.newContext(context)).newPage();
  await login(ars, arsHost!.readyValue, 'ars-idf');
  await ars.getByTestId('admin-open').click();
  const panel = ars.getByTestId('admin-panel');
  await expect(panel).toBeVisible();
  // An ARS has no audit tab.
  await expect(panel.getByTestId('admin-tab-audit')).toHaveCount(0);
  await expect(panel.getByTestId('admin-user-samu75')).toBeVisible();
  await expect(panel.getByTestId('admin-user-samu29')).toHaveCount(0);

  // Keyboard only: the fields in order, Enter submits.
  await panel.getByTestId('admin-create-username').focus();
  await ars.keyboard.type('samu77-garde');
  await ars.keyboard.press('Tab');
  await ars.keyboard.type('SAMU 77 — régulateur de garde');
  await ars.keyboard.press('Tab');
  await ars.keyboard.type('samu:77');
  await ars.keyboard.press('Tab');
  await ars.keyboard.type('une phrase de passe pour la garde');
  await ars.keyboard.press('Enter');
  await expect(panel.getByTestId('admin-notice')).toHaveText('Compte « samu77-garde » créé.');
  const row = panel.getByTestId('admin-user-samu77-garde');
  await expect(row.getByTestId('admin-user-state')).toHaveText('Actif');
  await shot(ars, 'admin-ars-created');

  // Another région's SAMU is refused, in French, and nothing is created.
  await panel.getByTestId('admin-create-username').fill('samu29-bis');
  await panel.getByTestId('admin-create-displayName').fill('SAMU 29 bis');
  await panel.getByTestId('admin-create-role').fill('samu:29');
  await panel.getByTestId('admin-create-password').fill('une phrase de passe pour la garde');
  await panel.getByTestId('admin-create-submit').click();
  await expect(panel.getByTestId('admin-error')).toHaveText('Le rôle « samu:29 » n’est pas sous votre territoire : vous n’administrez que les comptes des territoires placés sous le vôtre.');
  await expect(panel.getByTestId('admin-user-samu29-bis')).toHaveCount(0);

  ars.once('dialog', (d) => void d.accept());
  await row.getByTestId('admin-disable').click();
  await expect(panel.getByTestId('admin-notice')).toHaveText('Compte « samu77-garde » désactivé : sessions fermées.');
  await expect(row.getByTestId('admin-user-state')).toHaveText('Désactivé');
  await shot(ars, 'admin-ars-disabled');
  await ars.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  const national = await (await browser.newContext(context)).newPage();
  await login(national, nationalHost!.readyValue, 'national');
  await national.getByTestId('admin-open').click();
  const audit = national.getByTestId('admin-panel');
  await audit.getByTestId('admin-tab-audit').click();
  await audit.getByTestId('audit-kind').selectOption('user_change');
  await audit.getByTestId('audit-apply').click();
  const rows = audit.getByTestId('audit-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Modification de compte');
  await expect(rows.nth(0)).toContainText('Sophie Lambert');
  await expect(rows.nth(0)).toContainText('"action":"disable"');
  await expect(rows.nth(1)).toContainText('"action":"create"');
  await expect(rows.nth(1)).toContainText('"username":"samu77-garde"');
  await shot(national, 'admin-national-audit');

  await audit.getByTestId('audit-kind').selectOption('scope_refusal');
  await audit.getByTestId('audit-apply').click();
  await expect(rows.first()).toContainText('"role":"samu:29"');

  // The whole trail: the demo's seeding pushes, the logins, the changes above (pages of 100).
  await audit.getByTestId('audit-kind').selectOption('');
  await audit.getByTestId('audit-apply').click();
  await expect(audit.getByTestId('audit-range')).toHaveText(/^Entrées 1 à \d+ sur \d+$/);
  const [, shown, total] = /Entrées 1 à (\d+) sur (\d+)/.exec((await audit.getByTestId('audit-range').textContent()) ?? '') ?? [];
  expect(Number(shown)).toBe(Math.min(100, Number(total)));
  await expect(rows).toHaveCount(Number(shown));
  await expect(audit.getByTestId('audit-previous')).toBeDisabled();

  await audit.getByTestId('audit-kind').selectOption('user_change');
  await audit.getByTestId('audit-apply').click();
  const [download] = await Promise.all([national.waitForEvent('download'), audit.getByTestId('audit-export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^journal-audit-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('N°;Date (heure de Paris);Type;Acteur');
  expect(csv).toContain('samu77-garde');
  await expect(audit.getByTestId('audit-notice')).toContainText('2 entrées');
  // The export itself is in the trail.
  await audit.getByTestId('audit-kind').selectOption('export');
  await audit.getByTestId('audit-apply').click();
  await expect(rows.first()).toContainText('"what":"audit.export"');
});
