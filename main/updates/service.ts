/**
 * How the console services get their update service: the desktop app passes a factory
 * (main/index.ts: electron-updater behind ./controller.ts); the web host and tests pass
 * none and get updates off, with the reason shown.
 */
import type { UpdateStatus } from '../../common/app/api';
import { fr } from '../../common/i18n/fr';
import { UpdateController, type UpdateService } from './controller';
import { resolveUpdateFeed } from './feed';

export interface UpdateDeps {
  /** The outbox's mutations not yet confirmed by the server (pending and in flight). */
  pendingCount(): number;
  emit(status: UpdateStatus): void;
  onError(detail: string): void;
}

export type UpdatesFactory = (deps: UpdateDeps) => UpdateService;

/** No updater: the web host (its pages come from the server that runs it). */
export const updatesOff: UpdatesFactory = (deps) =>
  new UpdateController({ updater: null, feed: resolveUpdateFeed(), disabledReason: fr.updates.webHost, ...deps });
