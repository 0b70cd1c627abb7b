/**
 * « Exporter un diagnostic » from the web host's help panel (F1), all real: a sync server
 * with the demo data, a web host for SAMU 75 whose cache holds the demo's messages, Chromium.
 * The downloaded file has the sections support needs and none of the cache's rows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { freePort, type StartedProcess } from './support/processes';
import { login, selectEvent, shot, startSyncServer, startWebHost, syncState } from './support/vigie';

let workDir = '';
let server: StartedProcess | null = null;
let host: StartedProcess | null = null;

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-diagnostic-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  host = await startWebHost('samu75', server.readyValue, join(workDir, 'samu75'));
});
test.afterAll(async () => {
  await host?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the help panel exports a diagnostic file: versions, policy, session, sync state and log lines, no message of the cache', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true })).newPage();
  await login(page, host!.readyValue, 'samu75');
  await selectEvent(page, 'Covid-19 — vague 1');
  // The demo's messages are in the cache now.
  await expect(page.getByText('Réanimation médicale saturée', { exact: false }).first()).toBeVisible();
  await expect(syncState(page)).toHaveText('En ligne');

  await page.keyboard.press('F1');
  const help = page.getByTestId('help-panel');
  await expect(help).toContainText('Exporter un diagnostic');
  const [download] = await Promise.all([page.waitForEvent('download'), help.getByTestId('diagnostic-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^vigie-diagnostic-.*\.json$/);
  await expect(help.getByTestId('diagnostic-notice')).toContainText('Diagnostic téléchargé');
  await shot(page, 'help-diagnostic-exported');

  const content = readFileSync((await download.path())!, 'utf8');
  const d = JSON.parse(content) as { policy: string; session: { username: string; clientId: string }; sync: { cursor: number; pending: number }; log: { lines: string[] }; versions: { vigie: string } };
  expect(d.policy).toBe('aucune politique');
  expect(d.session.username).toBe('samu75');
  expect(d.session.clientId.length).toBeGreaterThan(7);
  expect(d.sync.cursor).toBeGreaterThan(0);
  expect(d.log.lines.some((l) => l.includes('Connexion.'))).toBe(true);
  for (const text of ['Réanimation médicale saturée', 'Recherche de 4 lits', DEMO_IDS.pitieUrgent, DEMO_IDS.event]) expect(content).not.toContain(text);
});
