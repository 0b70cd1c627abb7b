/**
 * Vigie-specific helpers for the end-to-end tests: the real sync server and web hosts, and
 * the few UI gestures every scenario repeats. They drive the UI through its `data-testid`s
 * only, the way a user would.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';
import { startProcess, type StartedProcess } from './processes';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'test-results/screenshots');
export const DEMO_PASSWORD = 'demo-vigie';

/** Reconnection backs off up to 10 s (randomised): waits that span an outage allow for it. */
export const RECONNECT_TIMEOUT_MS = 60_000;

export function startSyncServer(port: number, dbFile: string): Promise<StartedProcess> {
  return startProcess({
    name: `sync server :${port}`,
    script: 'sync-server/src/cli.ts',
    args: ['--port', String(port), '--host', '127.0.0.1', '--db', dbFile, '--demo'],
    readyPrefix: 'VIGIE_SYNC_SERVER_READY',
    cwd: REPO_ROOT,
  });
}

export function startWebHost(name: string, serverUrl: string, dataDir: string): Promise<StartedProcess> {
  mkdirSync(dataDir, { recursive: true });
  return startProcess({
    name: `web host ${name}`,
    script: 'main/webhost/cli.ts',
    args: ['--server', serverUrl, '--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--renderer', 'out/renderer'],
    readyPrefix: 'VIGIE_WEB_HOST_READY',
    cwd: REPO_ROOT,
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) });
}

export async function login(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('nav-eventlog')).toBeVisible();
}

export function syncState(page: Page): Locator {
  return page.getByTestId('sync-state');
}

export function eventItem(page: Page, title: string): Locator {
  return page.getByTestId('event-list').getByTestId('event-item').filter({ hasText: title });
}

export async function selectEvent(page: Page, title: string): Promise<void> {
  const item = eventItem(page, title);
  await item.click();
  await expect(item).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('event-header')).toContainText(title);
}

export async function openEvent(page: Page, title: string, territory: string): Promise<void> {
  await page.getByTestId('event-new').click();
  await page.getByTestId('event-title').fill(title);
  await page.getByTestId('event-territory').selectOption(territory);
  await page.getByTestId('event-create').click();
  await expect(page.getByTestId('event-header')).toContainText(title);
}

export interface Post {
  body: string;
  kind?: 'information' | 'consigne' | 'demande';
  priority?: 'info' | 'important' | 'urgent';
  territory?: string;
}

/** Writes a message in the selected event and sends it with Ctrl+Entrée. */
export async function post(page: Page, p: Post): Promise<void> {
  if (p.territory) await page.getByTestId('composer-territory').selectOption(p.territory);
  await page.getByTestId('composer-kind').selectOption(p.kind ?? 'information');
  await page.getByTestId('composer-priority').selectOption(p.priority ?? 'info');
  const body = page.getByTestId('composer-body');
  await body.fill(p.body);
  await body.press('Control+Enter');
  // Sent: the composer empties (the message itself is checked in the grid).
  await expect(body).toHaveValue('');
}

/** The grid row holding a message body (the grid renders bodies as cell text). */
export function gridRow(page: Page, body: string): Locator {
  return page.getByTestId('message-grid').locator('.ag-row').filter({ hasText: body });
}
