/**
 * Electron's security checklist, read from the source modules' exported options (Electron's
 * binary cannot run here: these are static checks of what the shell applies). The built
 * bundle is checked the same way by tests/e2e/electronSecurity.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../static/files';
import { APP_SCHEME_PRIVILEGES, isAllowedExternalUrl, isAppUrl, isTrustedIpcSender, permissionAllowed, SECURE_WEB_PREFERENCES } from './policy';

describe('Electron security checklist (static: read from the source modules, Electron is not run)', () => {
  it('windows: context isolation, sandbox, no Node integration anywhere, web security on, no webview', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('strict CSP: scripts from the app only, no eval, no plugins, no framing, no base or form hijack', () => {
    const csp = contentSecurityPolicy(['ws://127.0.0.1:1234']);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:1234']);
    expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*/);
  });

  it('custom protocol: a standard secure scheme that never bypasses the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('allowServiceWorkers');
  });

  it('navigation: only the app’s own origin', () => {
    expect(isAppUrl('vigie://app/index.html', 'vigie://app')).toBe(true);
    expect(isAppUrl('vigie://app/assets/index-abc.js?x=1#y', 'vigie://app')).toBe(true);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('vigie://other/index.html', 'vigie://app')).toBe(false);
    expect(isAppUrl('vigie://user@app/index.html', 'vigie://app')).toBe(false);
    expect(isAppUrl('evil://app/index.html', 'vigie://app')).toBe(false);
    expect(isAppUrl('https://evil.example/', 'vigie://app')).toBe(false);
    expect(isAppUrl('file:///etc/passwd', 'vigie://app')).toBe(false);
    expect(isAppUrl('not a url', 'vigie://app')).toBe(false);
  });

  it('shell.openExternal: allowlisted https health sites only', () => {
    expect(isAllowedExternalUrl('https://sante.gouv.fr/actualites')).toBe(true);
    expect(isAllowedExternalUrl('https://www.iledefrance.ars.sante.fr/plan-blanc')).toBe(true);
    for (const bad of [
      'http://sante.gouv.fr/',
      'https://sante.gouv.fr.evil.example/',
      'https://evilsante.gouv.fr/',
      'https://ars.sante.fr.evil.example/',
      'https://.ars.sante.fr/',
      'https://user:pw@sante.gouv.fr/',
      'https://sante.gouv.fr:8443/',
      'file:///C:/Windows/system32/calc.exe',
      'smb://server/share',
      'javascript:alert(1)',
      'vigie://app/index.html',
      'ms-msdt:/id',
      '',
    ]) {
      expect(isAllowedExternalUrl(bad), bad).toBe(false);
    }
  });

  it('permissions: notifications only', () => {
    expect(permissionAllowed('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'pointerLock', 'midi', 'hid', 'serial', 'usb', 'display-capture', 'unknown']) {
      expect(permissionAllowed(p), p).toBe(false);
    }
  });

  it('IPC: a call is accepted only from our window’s top frame showing our page', () => {
    const mainFrame = { url: 'vigie://app/index.html' };
    const contents = { mainFrame };
    const win = { isDestroyed: () => false, webContents: contents };
    const ours = (url: string) => isAppUrl(url, 'vigie://app');
    expect(isTrustedIpcSender({ sender: contents, senderFrame: mainFrame }, win, ours)).toBe(true);
    // Another web contents (a second window, a devtools page).
    expect(isTrustedIpcSender({ sender: { mainFrame }, senderFrame: mainFrame }, win, ours)).toBe(false);
    // A sub-frame of our window.
    expect(isTrustedIpcSender({ sender: contents, senderFrame: { url: 'vigie://app/index.html' } }, win, ours)).toBe(false);
    // Our top frame after navigating elsewhere.
    const away = { url: 'https://evil.example/' };
    expect(isTrustedIpcSender({ sender: { mainFrame: away }, senderFrame: away }, { isDestroyed: () => false, webContents: { mainFrame: away } }, ours)).toBe(false);
    // No window, a destroyed one, a gone frame.
    expect(isTrustedIpcSender({ sender: contents, senderFrame: mainFrame }, null, ours)).toBe(false);
    expect(isTrustedIpcSender({ sender: contents, senderFrame: mainFrame }, { ...win, isDestroyed: () => true }, ours)).toBe(false);
    expect(isTrustedIpcSender({ sender: contents, senderFrame: null }, win, ours)).toBe(false);
  });
});
