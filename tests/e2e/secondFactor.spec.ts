/**
 * Two-factor login in Chromium against a real sync server that is not a demonstration one:
 * an ARS account's first login shows the QR code; the test reads its secret and computes
 * the app's code as a phone would; the recovery codes are shown once; after a logout, the
 * next login asks the code (no QR code any more); « Se déconnecter partout » returns to the
 * login screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openServerStore } from '../../sync-server/src/app';
import { totpCode } from '../../sync-server/src/auth/totp';
import { loadServerTerritories } from '../../sync-server/src/referential';
import { createUser } from '../../sync-server/src/users/createUser';
import { freePort, startProcess, type StartedProcess } from './support/processes';
import { REPO_ROOT, shot, startWebHost } from './support/vigie';

const USERNAME = 'ars-garde';
const PASSWORD = 'Le phare du Créac’h veille sur Ouessant en hiver';

let workDir = '';
let server: StartedProcess | null = null;
let host: StartedProcess | null = null;

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-2fa-'));
  const dbFile = join(workDir, 'server.sqlite');
  const store = openServerStore(dbFile, loadServerTerritories());
  try {
    await createUser(store, loadServerTerritories(), { username: USERNAME, password: PASSWORD, displayName: 'Garde ARS Île-de-France', role: 'ars:11' });
  } finally {
    await store.close();
  }
  // No --demo: the ARS role's second factor is mandatory, nothing waives it.
  const port = await freePort();
  server = await startProcess({
    name: `sync server :${port}`,
    script: 'sync-server/src/cli.ts',
    args: ['--port', String(port), '--host', '127.0.0.1', '--db', dbFile],
    readyPrefix: 'VIGIE_SYNC_SERVER_READY',
    cwd: REPO_ROOT,
  });
  host = await startWebHost('ars-garde', server.readyValue, join(workDir, 'ars'));
});
test.afterAll(async () => {
  await host?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function password(page: import('@playwright/test').Page): Promise<void> {
  await page.getByTestId('login-username').fill(USERNAME);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
}

test('an ARS account enrols from the QR code, keeps its recovery codes, and logs in again with the app’s code', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' })).newPage();
  await page.goto(host!.readyValue);
  await password(page);

  // Enrolment: the QR code (an image data URL) and its secret for typing by hand.
  const qr = page.getByTestId('enrol-qr');
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  const secret = (await page.getByTestId('enrol-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await shot(page, 'second-factor-enrol');

  // A wrong code is refused in French, the form stays.
  await page.getByTestId('login-code').fill('000000');
  await page.getByTestId('login-code-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('Code incorrect');

  await page.getByTestId('login-code').fill(await totpCode(secret, new Date()));
  await page.getByTestId('login-code-submit').click();
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await page.getByTestId('recovery-noted').click();
  await expect(page.getByTestId('nav-eventlog')).toBeVisible();
  await expect(page.getByTestId('second-factor-waived')).toHaveCount(0);

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-username')).toBeVisible();

  // Second login: the code is asked, no QR code. The next step's code: the enrolment's is spent.
  await password(page);
  await expect(page.getByTestId('login-code')).toBeVisible();
  await expect(page.getByTestId('enrol-qr')).toHaveCount(0);
  await page.getByTestId('login-code').fill(await totpCode(secret, new Date(Date.now() + 30_000)));
  await page.getByTestId('login-code-submit').click();
  await expect(page.getByTestId('nav-eventlog')).toBeVisible();

  // In the help panel (F1), beside the local data: the header keeps its room at 1366 px.
  await page.keyboard.press('F1');
  await page.getByTestId('help-panel').getByTestId('logout-everywhere').click();
  await expect(page.getByTestId('login-username')).toBeVisible();
});
