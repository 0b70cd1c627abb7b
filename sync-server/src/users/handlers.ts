/**
 * The socket events of user administration and of the audit trail (`adminWire`), as the
 * engine registers them beside the boards' events: validate the payload, act as the
 * authenticated actor, answer `{data} | {error}` in French.
 */
import { z } from 'zod';
import { adminWire, AuditQueryArgs, CreateUserArgs, ExportedArgs, RenameUserArgs, SetDisabledArgs } from '../../../common/admin/api';
import { describeZodError, type Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import type { Reply } from '../../../common/protocol';
import type { SocketHandler } from '../board';
import type { ServerStore } from '../store/types';
import { AdminError, auditActor, type UserAdmin } from './admin';

export interface AdminHandlerDeps {
  admin: UserAdmin;
  store: ServerStore;
  now(): Date;
}

/** Parses, then runs; refusals become wire errors (anything else is the engine's `internal`). */
function handler<S extends z.ZodType, T>(schema: S, run: (actor: Actor, args: z.output<S>) => Promise<T>): SocketHandler {
  return async (actor, raw): Promise<Reply<unknown>> => {
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) return { error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
    try {
      return { data: await run(actor, parsed.data) };
    } catch (err) {
      if (err instanceof AdminError) return { error: { code: err.code, message: err.message } };
      throw err;
    }
  };
}

export function adminSocketHandlers(deps: AdminHandlerDeps): ReadonlyMap<string, SocketHandler> {
  const { admin, store, now } = deps;
  return new Map<string, SocketHandler>([
    [adminWire.users, handler(z.object({}), (actor) => admin.list(actor))],
    [adminWire.create, handler(CreateUserArgs, (actor, a) => admin.create(actor, a))],
    [adminWire.rename, handler(RenameUserArgs, (actor, a) => admin.rename(actor, a.userId, a.displayName))],
    [adminWire.setDisabled, handler(SetDisabledArgs, (actor, a) => admin.setDisabled(actor, a.userId, a.disabled))],
    [
      adminWire.auditPage,
      handler(AuditQueryArgs, async (actor, q) => {
        // Only the national level reads the trail; a refusal is itself recorded.
        if (actor.role.kind !== 'national') {
          await store.recordAudit({ kind: 'scope_refusal', ...auditActor(actor), detail: { resource: 'audit', action: 'read' } }, now());
          throw new AdminError('forbidden', fr.admin.auditNational);
        }
        return store.auditPage(q);
      }),
    ],
    [
      adminWire.exported,
      handler(ExportedArgs, async (actor, a) => {
        await store.recordAudit({ kind: 'export', ...auditActor(actor), detail: { what: a.what, format: a.format, rows: a.rows } }, now());
        return { recorded: true };
      }),
    ],
  ]);
}
