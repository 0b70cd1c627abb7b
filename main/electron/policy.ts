/**
 * The desktop shell's security decisions as plain data and functions, with no `electron`
 * import, so that tests can read them (Electron's binary cannot run everywhere) and the
 * modules that talk to Electron (window.ts, security.ts, ipc.ts, protocol.ts) only apply
 * them. Electron's security checklist: https://www.electronjs.org/docs/latest/tutorial/security
 */
import type { CustomScheme, WebPreferences } from 'electron';

/** Every window's webPreferences but its preload (checklist items 2–4, 6, 9, 12). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

/** The app's own scheme (`vigie://app/…`) and its privileges: no `bypassCSP`, no service workers. */
export const APP_SCHEME = 'vigie';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } as const satisfies CustomScheme['privileges'];

/** The only permission a page may have: notifications (urgent messages, transfers). */
export function permissionAllowed(permission: string): boolean {
  return permission === 'notifications';
}

/**
 * Hosts a link may open in the system browser (`shell.openExternal`): French public health
 * sites a consigne may cite. https only, exact host or a sub-domain of one ending in
 * `.ars.sante.fr` (each ARS has its own). Anything else is simply not opened.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['sante.gouv.fr', 'www.sante.gouv.fr', 'solidarites-sante.gouv.fr', 'www.santepubliquefrance.fr', 'www.has-sante.fr'];
export const EXTERNAL_HOST_SUFFIXES: readonly string[] = ['.ars.sante.fr'];

export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || (u.port && u.port !== '443')) return false;
  const host = u.hostname.toLowerCase();
  return EXTERNAL_HOSTS.includes(host) || EXTERNAL_HOST_SUFFIXES.some((s) => host.endsWith(s) && host.length > s.length);
}

/**
 * True when `url` is one of the app's own pages (`origin`: `vigie://app`, or the dev
 * server's). Scheme and host are compared, not `URL.origin`: Node's URL (the main process's)
 * gives every non-special scheme the origin "null", so `vigie://app/…` would never match.
 */
export function isAppUrl(url: string, origin: string): boolean {
  try {
    const u = new URL(url);
    const o = new URL(origin);
    return u.protocol === o.protocol && u.host === o.host && u.host !== '' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The parts of an IPC event and of the window that decide whether a call is accepted. */
export interface IpcSenderFacts<W> {
  sender: W;
  senderFrame: { url: string } | null;
}
export interface WindowFacts<W> {
  isDestroyed(): boolean;
  webContents: W & { mainFrame: unknown };
}

/**
 * An IPC call is accepted only from our window's web contents, from its top frame (no
 * sub-frame), showing one of our own pages (checklist item 17: validate every sender).
 */
export function isTrustedIpcSender<W>(event: IpcSenderFacts<W>, win: WindowFacts<W> | null, isTrustedUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return Boolean(win && !win.isDestroyed() && event.sender === win.webContents && frame && frame === win.webContents.mainFrame && isTrustedUrl(frame.url));
}
