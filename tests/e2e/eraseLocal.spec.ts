/**
 * « Se déconnecter et effacer les données locales » in Chromium through the web host, all
 * real: a sync server with the demo data, a web host for SAMU 75 whose cache is encrypted on
 * disk. A message written while the server is down is pending: the dialog says so with its
 * count; once confirmed, the login screen comes back and nothing of Vigie is left on disk.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, type StartedProcess } from './support/processes';
import { login, post, selectEvent, shot, startSyncServer, startWebHost, syncState } from './support/vigie';

let workDir = '';
let server: StartedProcess | null = null;
let host: StartedProcess | null = null;

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-erase-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  host = await startWebHost('samu75', server.readyValue, join(workDir, 'samu75'));
});
test.afterAll(async () => {
  await host?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('erasing the local data warns of the pending message, then returns to login with no cache or key left on disk', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
  await login(page, host!.readyValue, 'samu75');
  await selectEvent(page, 'Covid-19 — vague 1');
  await expect(syncState(page)).toHaveText('En ligne');

  await server!.stop();
  await expect(syncState(page)).toHaveText('Hors ligne');
  const body = 'Message saisi hors ligne avant effacement';
  await post(page, { body });

  const dataDir = join(workDir, 'samu75');
  const caches = join(dataDir, 'caches');
  // The cache on disk (main file and WAL) is encrypted: the message is nowhere in its bytes.
  for (const f of readdirSync(caches)) expect(readFileSync(join(caches, f)).includes(Buffer.from(body))).toBe(false);
  expect(existsSync(join(dataDir, 'cache-key.json'))).toBe(true);

  await page.keyboard.press('F1');
  const help = page.getByTestId('help-panel');
  await help.getByTestId('erase-local-open').click();
  const dialog = page.getByTestId('erase-local-dialog');
  await expect(dialog.getByTestId('erase-local-warning')).toHaveText(
    'Attention : 1 opération saisie sur ce poste n’a pas encore été reçue par le serveur. Elle sera perdue définitivement si vous effacez maintenant. Reconnectez-vous au réseau et attendez la synchronisation pour les conserver.',
  );
  await shot(page, 'erase-local-warning');
  // Cancelling keeps everything.
  await dialog.getByTestId('erase-local-cancel').click();
  await expect(dialog).toBeHidden();
  expect(readdirSync(caches).length).toBeGreaterThan(0);

  await help.getByTestId('erase-local-open').click();
  await expect(dialog.getByTestId('erase-local-confirm')).toHaveText('Effacer quand même (1 perdue)');
  await dialog.getByTestId('erase-local-confirm').click();
  await expect(page.getByTestId('login-username')).toBeVisible();
  await expect(page.getByText('Données locales effacées. Reconnectez-vous pour recharger les données du serveur.')).toBeVisible();
  expect(existsSync(caches)).toBe(false);
  expect(existsSync(join(dataDir, 'cache-key.json'))).toBe(false);
  expect(existsSync(join(dataDir, 'session.json'))).toBe(false);
});
