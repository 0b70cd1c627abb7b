/**
 * Hardening that applies to every web contents the app creates: no new windows, no
 * navigation away from the app, no webviews, links to allowlisted sites opened in the system
 * browser, and no permission but notifications (the decisions are in ./policy.ts).
 */
import { app, session, shell, type WebContents } from 'electron';
import { isAllowedExternalUrl, permissionAllowed } from './policy';

/** The only way the app opens a URL outside itself: allowlisted https sites, in the system browser. */
export function openExternalSafely(url: string): void {
  if (!isAllowedExternalUrl(url)) return;
  void shell.openExternal(url);
}

export function hardenApp(isTrustedUrl: (url: string) => boolean): void {
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (isTrustedUrl(url)) return;
      event.preventDefault();
      openExternalSafely(url);
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Call once the app is ready (sessions exist only then). */
export function restrictPermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
  s.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
  // USB, HID, serial and Bluetooth devices: never.
  s.setDevicePermissionHandler(() => false);
}
