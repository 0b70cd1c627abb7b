/**
 * Vigie-specific helpers for the end-to-end tests: the real sync server and web hosts, and
 * the few UI gestures every scenario repeats. They drive the UI through its `data-testid`s
 * only, the way a user would.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
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

/**
 * Pushes `mutations` ({name, args, at}) as `username` over the raw sync protocol, the way a
 * workstation's outbox would (with its own client id), and returns each one's status. `at`
 * is the author's clock: a past one is a change written then and sent late.
 */
export async function pushAs(serverUrl: string, username: string, mutations: Array<{ name: string; args: unknown; at: string }>): Promise<string[]> {
  const res = await fetch(new URL('/api/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const clientId = `e2e-${username}-${randomUUID().slice(0, 8)}`;
  const socket = io(serverUrl, { auth: { token, clientId }, transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((done, fail) => {
      socket.once('connect', () => done());
      socket.once('connect_error', fail);
    });
    const reply = (await socket.timeout(10_000).emitWithAck('sync:push', { clientId, mutations: mutations.map((m, i) => ({ clientId, mutationId: i + 1, ...m })) })) as {
      data?: { results: Array<{ status: string; reason?: string }> };
    };
    return (reply.data?.results ?? []).map((r) => (r.status === 'applied' ? 'applied' : `${r.status}: ${r.reason ?? ''}`));
  } finally {
    socket.disconnect();
  }
}
