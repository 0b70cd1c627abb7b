/**
 * What feature handlers share: the referential, the session (and through it the user's
 * store and sync client) and the event emitter towards the renderer.
 */
import type { Territories } from '../common/territory';
import type { SessionManager } from './session/sessionManager';
import type { Emit } from './sync/syncClient';

export interface ServiceContext {
  territories(): Territories;
  session: SessionManager;
  emit: Emit;
}
