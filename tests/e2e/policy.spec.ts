/**
 * The administrator policy and the first-run screen in Chromium, all real: a sync server with
 * the demo data and web hosts reading a policy file the way the desktop app reads it
 * (`VIGIE_POLICY_FILE`).
 *
 * - Managed: the host gets no --server; the policy's address is the one used. The « Exercice »
 *   banner is on the login screen and above every board; the locked stale delay is shown
 *   disabled with « Verrouillé par votre service informatique (…) », its value is the
 *   policy's, and saving the dialog keeps it; the field left to the user still changes.
 * - First run: a host with no address and no policy opens on the first-run screen; an
 *   unresolvable name and a closed port get their French diagnosis; the real server passes,
 *   and the login follows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort, startProcess, type StartedProcess } from './support/processes';
import { DEMO_PASSWORD, REPO_ROOT, shot, startSyncServer } from './support/vigie';

const ORGANISATION = 'ARS Île-de-France — DSI';
let workDir = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];

function startHost(name: string, dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<StartedProcess> {
  mkdirSync(dataDir, { recursive: true });
  return startProcess({
    name: `web host ${name}`,
    script: 'main/webhost/cli.ts',
    args: ['--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--renderer', 'out/renderer', ...args],
    readyPrefix: 'VIGIE_WEB_HOST_READY',
    cwd: REPO_ROOT,
    // Never the machine's own policy: each host is told which file (or none) is in force.
    env: { VIGIE_POLICY_FILE: '', ...env },
  }).then((h) => {
    hosts.push(h);
    return h;
  });
}

async function newPage(browser: import('@playwright/test').Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('nav-eventlog')).toBeVisible();
}

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-policy-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
});
test.afterAll(async () => {
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('a managed workstation: server from the policy, the exercise banner everywhere, a locked setting disabled with who locked it', async ({ browser }) => {
  const policyFile = join(workDir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      organisation: ORGANISATION,
      server: { url: server!.readyValue },
      locked: { beds: { staleAfterHours: 12 } },
      banner: { kind: 'exercice', text: 'Exercice NOVI 2026 — ne pas diffuser' },
    }),
  );
  // No --server: the address is the policy's.
  const host = await startHost('ars-idf', join(workDir, 'ars'), [], { VIGIE_POLICY_FILE: policyFile });
  const page = await newPage(browser);
  await page.goto(host.readyValue);

  await expect(page.getByTestId('login-server')).toHaveText(server!.readyValue);
  // Set by the policy: not for the user to change.
  await expect(page.getByTestId('login-change-server')).toHaveCount(0);
  const banner = page.getByTestId('policy-banner');
  await expect(banner).toHaveText(/EXERCICE\s*Exercice NOVI 2026 — ne pas diffuser/);
  await expect(banner).toHaveAttribute('data-kind', 'exercice');
  await signIn(page, 'ars-idf');
  await expect(banner).toBeVisible();
  // Above the header on every board.
  for (const key of ['Alt+2', 'Alt+3', 'Alt+4', 'Alt+1']) {
    await page.keyboard.press(key);
    await expect(banner).toBeVisible();
  }

  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('beds-board')).toContainText('Périmé au-delà de 12 h sans mise à jour');
  await page.getByTestId('beds-settings-open').click();
  const dialog = page.getByTestId('beds-settings');
  const stale = dialog.getByTestId('settings-stale-hours');
  await expect(stale).toHaveValue('12');
  await expect(stale).toBeDisabled();
  await expect(dialog.getByTestId('locked-beds-staleAfterHours')).toHaveText(`Verrouillé par votre service informatique (${ORGANISATION})`);
  await shot(page, 'policy-locked-setting');
  // The user cannot type into it; the field the policy leaves alone still changes.
  await expect(stale.fill('48', { timeout: 1_000 })).rejects.toThrow();
  await expect(dialog.getByTestId('settings-few-free')).toBeEnabled();
  await expect(dialog.getByTestId('locked-beds-fewFree')).toHaveCount(0);
  await dialog.getByTestId('settings-few-free').fill('3');
  await dialog.getByTestId('settings-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('beds-board')).toContainText('Périmé au-delà de 12 h sans mise à jour');
  await page.getByTestId('beds-settings-open').click();
  await expect(page.getByTestId('beds-settings').getByTestId('settings-few-free')).toHaveValue('3');
  await expect(page.getByTestId('beds-settings').getByTestId('settings-stale-hours')).toHaveValue('12');
});

test('a broken policy stops the host with the field named', async () => {
  const policyFile = join(workDir, 'broken.json');
  writeFileSync(policyFile, JSON.stringify({ organisation: ORGANISATION, locked: { beds: { staleAfterHours: 0 } } }));
  await expect(startHost('broken', join(workDir, 'broken'), ['--server', server!.readyValue], { VIGIE_POLICY_FILE: policyFile })).rejects.toThrow(
    /champ « locked\.beds\.staleAfterHours »/,
  );
});

test('first run: no address yet, each failure told in French, then the real server and the login', async ({ browser }) => {
  const host = await startHost('first-run', join(workDir, 'new'), []);
  const page = await newPage(browser);
  await page.goto(host.readyValue);
  await expect(page.getByRole('heading', { name: 'Premier démarrage' })).toBeVisible();
  await expect(page.getByTestId('policy-banner')).toHaveCount(0);
  const address = page.getByTestId('first-run-address');
  const result = page.getByTestId('first-run-result');

  await address.fill('vigie.invalid');
  await page.getByTestId('first-run-test').click();
  await expect(result).toHaveAttribute('data-cause', 'dns');
  await expect(result).toContainText('« vigie.invalid » n’existe pas dans le DNS');

  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', () => done()));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((done) => closed.close(() => done()));
  await address.fill(`http://127.0.0.1:${port}`);
  await page.getByTestId('first-run-test').click();
  await expect(result).toHaveAttribute('data-cause', 'refused');
  await expect(result).toContainText(`Connexion refusée par 127.0.0.1 sur le port ${port}`);
  // Continuing with a wrong address keeps the screen, with the reason.
  await page.getByTestId('first-run-next').click();
  await expect(page.getByTestId('first-run-error')).toContainText('Connexion refusée');
  await shot(page, 'first-run-refused');

  await address.fill(server!.readyValue);
  await page.getByTestId('first-run-test').click();
  await expect(result).toHaveAttribute('data-cause', 'ok');
  await expect(result).toContainText('est bien un serveur Vigie');
  await page.getByTestId('first-run-next').click();
  await expect(page.getByTestId('login-server')).toHaveText(server!.readyValue);
  // The choice can be revisited before signing in; the screen opens on the address kept.
  await page.getByTestId('login-change-server').click();
  await expect(page.getByTestId('first-run-address')).toHaveValue(server!.readyValue);
  await page.getByTestId('first-run-next').click();
  await signIn(page, 'samu75');
});
