/**
 * Electron's security checklist, read from the BUILT app (out/main/index.js, out/preload,
 * out/renderer): a static check, because Electron's binary cannot be downloaded and run on
 * every machine (the behaviour of each decision is unit-tested in
 * main/electron/policy.test.ts). Runs after `electron-vite build`, like every e2e spec, and
 * fails when a build loosens one item.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO_ROOT } from './support/vigie';

const MAIN = join(REPO_ROOT, 'out', 'main', 'index.js');
const PRELOAD = join(REPO_ROOT, 'out', 'preload', 'index.cjs');
const HTML = join(REPO_ROOT, 'out', 'renderer', 'index.html');

function read(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run electron-vite build first`);
  return readFileSync(file, 'utf8');
}
const count = (text: string, needle: string | RegExp): number => (typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(new RegExp(needle.source, `${needle.flags.replace('g', '')}g`)) ?? []).length);

/** Asserts on the bundle without printing all of it when it fails. */
function expectIn(text: string, what: string | RegExp): void {
  expect(typeof what === 'string' ? text.includes(what) : what.test(text), `the bundle should contain ${String(what)}`).toBe(true);
}
function expectNotIn(text: string, what: string | RegExp): void {
  expect(typeof what === 'string' ? text.includes(what) : what.test(text), `the bundle should not contain ${String(what)}`).toBe(false);
}

/** The body of `var NAME = { … };` in the bundle, as key → literal value. */
function objectLiteral(bundle: string, name: string): Map<string, string> {
  const m = new RegExp(`var ${name} = \\{([^}]*)\\}`).exec(bundle);
  if (!m) throw new Error(`${name} not found in the bundle`);
  return new Map(
    m[1]
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.split(':').map((p) => p.trim()) as [string, string]),
  );
}

test.describe('Electron security checklist (static: read from the built bundle, Electron is not run)', () => {
  test('every window is context-isolated, sandboxed, without Node, and nothing later overrides it', () => {
    const main = read(MAIN);
    const prefs = objectLiteral(main, 'SECURE_WEB_PREFERENCES');
    expect(Object.fromEntries(prefs)).toMatchObject({
      contextIsolation: 'true',
      sandbox: 'true',
      nodeIntegration: 'false',
      nodeIntegrationInWorker: 'false',
      nodeIntegrationInSubFrames: 'false',
      webSecurity: 'true',
      allowRunningInsecureContent: 'false',
      webviewTag: 'false',
    });
    // One window, whose webPreferences are the preload, the secure set, then only spellcheck.
    expect(count(main, 'new BrowserWindow(')).toBe(1);
    expect(count(main, 'webPreferences:')).toBe(1);
    expectIn(main, /webPreferences: \{\s*preload: opts\.preload,\s*\.\.\.SECURE_WEB_PREFERENCES,\s*spellcheck: true\s*\}/);
    expectIn(main, 'app.enableSandbox()');
    for (const loose of [/contextIsolation: false/, /sandbox: false/, /nodeIntegration\w*: true/, /webSecurity: false/, /allowRunningInsecureContent: true/, /enableRemoteModule/, /@electron\/remote/]) {
      expectNotIn(main, loose);
    }
  });

  test('strict CSP as a real header of the custom scheme, and the page’s own meta allows no eval', () => {
    const main = read(MAIN);
    expectIn(main, /const headers = securityHeaders\(contentSecurityPolicy\(\)\);\s*protocol\.handle\(APP_SCHEME,/);
    expectIn(main, '"script-src \'self\'"');
    expectIn(main, '"object-src \'none\'"');
    expectIn(main, '"frame-ancestors \'none\'"');
    expectNotIn(main, /unsafe-eval/);
    const meta = /http-equiv="Content-Security-Policy"\s*content="([^"]*)"/.exec(read(HTML));
    expect(meta, 'index.html declares a CSP').not.toBeNull();
    expect(meta?.[1]).toMatch(/default-src 'self'/);
    expect(meta?.[1]).not.toMatch(/unsafe-eval|script-src[^;]*\*/);
  });

  test('custom protocol: the app is served from vigie://app, never file://, and the scheme never bypasses the CSP', () => {
    const main = read(MAIN);
    expectIn(main, /protocol\.registerSchemesAsPrivileged\(\[\{\s*scheme: APP_SCHEME,\s*privileges: APP_SCHEME_PRIVILEGES\s*\}\]\)/);
    const privileges = objectLiteral(main, 'APP_SCHEME_PRIVILEGES');
    expect(privileges.get('standard')).toBe('true');
    expect(privileges.get('secure')).toBe('true');
    expect(privileges.has('bypassCSP')).toBe(false);
    expect(privileges.has('allowServiceWorkers')).toBe(false);
    expectIn(main, 'var entryUrl = devUrl ?? "vigie://app/index.html"');
    expectNotIn(main, /\.loadFile\(|loadURL\(["'`]file:/);
  });

  test('navigation and new windows are denied; shell.openExternal is reached only through its allowlist', () => {
    const main = read(MAIN);
    expectIn(main, /contents\.setWindowOpenHandler\(\(\{ url \}\) => \{\s*openExternalSafely\(url\);\s*return \{ action: "deny" \};\s*\}\)/);
    expectNotIn(main, /action: "allow"/);
    expectIn(main, /contents\.on\("will-navigate", \(event, url\) => \{\s*if \(isTrustedUrl\(url\)\) return;\s*event\.preventDefault\(\);/);
    expectIn(main, /contents\.on\("will-redirect", \(event, url\) => \{\s*if \(!isTrustedUrl\(url\)\) event\.preventDefault\(\);/);
    expectIn(main, /contents\.on\("will-attach-webview", \(event\) => event\.preventDefault\(\)\)/);
    expect(count(main, 'openExternal(')).toBe(1);
    expectIn(main, /function openExternalSafely\(url\) \{\s*if \(!isAllowedExternalUrl\(url\)\) return;\s*shell\.openExternal\(url\);\s*\}/);
  });

  test('IPC: one handler, which validates its sender before anything else; the preload exposes only window.vigie', () => {
    const main = read(MAIN);
    expect(count(main, 'ipcMain.handle(')).toBe(1);
    expect(count(main, /ipcMain\.(on|once|handleOnce)\(/)).toBe(0);
    expectIn(main, /ipcMain\.handle\(ipcChannels\.call, async \(event, name, args\) => \{\s*if \(!trusted\(event\)\) return/);
    expectIn(main, /const trusted = \(event\) => isTrustedIpcSender\(event, opts\.getWindow\(\), opts\.isTrustedUrl\);/);
    const preload = read(PRELOAD);
    expect(count(preload, 'exposeInMainWorld(')).toBe(1);
    expectIn(preload, 'exposeInMainWorld("vigie", {');
    // ipcRenderer is used, never handed over: each use is a call of invoke or on.
    const uses = preload.match(/ipcRenderer\b[^\n]{0,12}/g) ?? [];
    const code = uses.filter((u) => !u.startsWith('ipcRenderer itself'));
    expect(code.length).toBeGreaterThan(0);
    for (const u of code) expect(u, u).toMatch(/^ipcRenderer\.(invoke|on)\(/);
  });

  test('permissions: notifications only, devices never', () => {
    const main = read(MAIN);
    expectIn(main, /function permissionAllowed\(permission\) \{\s*return permission === "notifications";\s*\}/);
    expectIn(main, 's.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));');
    expectIn(main, 's.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));');
    expectIn(main, 's.setDevicePermissionHandler(() => false);');
    expectIn(main, /restrictPermissions\(\);/);
  });

  test('the cache opens only encrypted: one SQLite module (the cipher one), a key sealed by safeStorage, basic_text refused unless allowed', () => {
    const main = read(MAIN);
    expectIn(main, 'import CipherDatabase from "better-sqlite3-multiple-ciphers";');
    expectNotIn(main, /from "better-sqlite3";/);
    expectIn(main, 'if (process.versions.electron && (!opts.nativeBinding || !opts.key)) throw');
    expectIn(main, 'const cacheKey = desktopCacheKey(paths.dataDir, { allowBasicText: policy.allowBasicText() });');
    expectIn(main, /linuxBackend: process\.platform === "linux" \? safeStorage\.getSelectedStorageBackend\(\) : void 0,/);
    expectIn(main, 'if ("refused" in choice) throw new Error(choice.refused);');
  });
});
