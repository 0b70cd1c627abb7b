/**
 * Where the desktop app finds its parts, in development (`electron .` from the repository,
 * code in out/) and packaged (electron-builder: app.asar + resources/).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { electronNativeBinding } from '../store/db';
import type { SyncServerConfig } from '../sync/transport';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4100';

export interface DesktopPaths {
  preload: string;
  rendererDir: string;
  resourcesDir: string;
  dataDir: string;
  nativeBinding: string | undefined;
}

export function desktopPaths(): DesktopPaths {
  // This module is bundled into out/main/index.js: siblings are out/preload and out/renderer.
  const outDir = fileURLToPath(new URL('..', import.meta.url));
  return {
    preload: join(outDir, 'preload', 'index.cjs'),
    rendererDir: join(outDir, 'renderer'),
    resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources'),
    dataDir: app.getPath('userData'),
    nativeBinding: electronNativeBinding({ packaged: app.isPackaged, appRoot: app.getAppPath() }),
  };
}

/**
 * The sync server given at launch: `VIGIE_SERVER_URL` and the pin of its certificate,
 * `VIGIE_SERVER_CERT_SHA256` (comma-separated during a rotation); url null when unset. An
 * administrator's policy wins over both (`main/firstRun/serverChoice.ts`).
 */
export function syncServerConfig(): { url: string | null; certFingerprint?: SyncServerConfig['certFingerprint'] } {
  const pin = process.env.VIGIE_SERVER_CERT_SHA256?.trim();
  return { url: process.env.VIGIE_SERVER_URL?.trim() || null, ...(pin ? { certFingerprint: pin } : {}) };
}
