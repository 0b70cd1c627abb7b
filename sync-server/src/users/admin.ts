/**
 * User administration inside one's own territory. The rule (docs/security.md,
 * « Administration des comptes »): national and ARS accounts are administrators, and an
 * administrator manages exactly the accounts whose territory lies strictly below its own —
 * the national level its ARS and everything under them, an ARS the SAMU, establishments
 * (PUI included) and field posts of its région. Nobody manages an account of their own
 * level (not even their own), so nobody can grant a scope as wide as theirs or wider.
 * Authority comes from the authenticated actor only; every change and every refusal is
 * recorded in the audit trail, the change in the same transaction as the audit entry.
 */
import type { AdminUser } from '../../../common/admin/api';
import type { Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import { parseRole, roleTerritory, type Territories } from '../../../common/territory';
import type { AuditInput } from '../audit/store';
import { UserExistsError, type ServerStore, type UserRecord } from '../store/types';
import { createUser } from './createUser';

export type AdminErrorCode = 'forbidden' | 'bad_request';

/** A refusal with its French message (`forbidden`: authority; `bad_request`: the input). */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Who the actor is, for the audit trail. */
export function auditActor(actor: Actor): Pick<AuditInput, 'actorId' | 'actorName' | 'actorRole'> {
  return { actorId: actor.userId, actorName: actor.displayName, actorRole: actor.roleText };
}

/** True for the roles that administer accounts (national, ARS). */
export function isAdministrator(actor: Pick<Actor, 'role'>): boolean {
  return actor.role.kind === 'national' || actor.role.kind === 'ars';
}

/**
 * True when `actor` may manage an account of role `roleText`: the actor administers, and
 * the role's territory exists and lies strictly below the actor's own.
 */
export function administers(actor: Pick<Actor, 'role' | 'territoryPath'>, roleText: string, territories: Territories): boolean {
  if (!isAdministrator(actor)) return false;
  const role = parseRole(roleText);
  if (!role) return false;
  const path = territories.path(roleTerritory(role));
  return path !== null && path !== actor.territoryPath && path.startsWith(actor.territoryPath);
}

export interface UserAdminDeps {
  store: ServerStore;
  territories: Territories;
  now(): Date;
  /**
   * Ends every session of a user and cuts its live sockets. The one place a revocation goes
   * through (the store has already deleted the sessions when this runs).
   */
  endUserSessions(userId: string): void;
}

export class UserAdmin {
  constructor(private readonly deps: UserAdminDeps) {}

  /** The accounts the actor administers, by username. */
  async list(actor: Actor): Promise<AdminUser[]> {
    await this.requireAdministrator(actor, 'list');
    const all = await this.deps.store.listUsers();
    return all.filter((u) => administers(actor, u.role, this.deps.territories)).map((u) => this.view(u));
  }

  /** Creates an account (validated, then authorised, before the password is hashed). */
  async create(actor: Actor, input: { username: string; displayName: string; role: string; password: string }): Promise<AdminUser> {
    await this.requireAdministrator(actor, 'create');
    const role = input.role.trim();
    if (!parseRole(role)) throw new AdminError('bad_request', fr.server.badRole(role));
    if (!administers(actor, role, this.deps.territories)) {
      await this.refuse(actor, 'create', null, { role });
      throw new AdminError('forbidden', fr.admin.outOfTerritory(role));
    }
    try {
      const user = await createUser(this.deps.store, this.deps.territories, { ...input, role }, {
        audit: { kind: 'user_change', ...auditActor(actor), detail: { action: 'create', username: input.username.trim(), role } },
      });
      return this.view(user);
    } catch (err) {
      // The rules' refusals (plain French Errors, a taken username); anything else is internal.
      if (err instanceof UserExistsError || (err instanceof Error && err.constructor === Error)) throw new AdminError('bad_request', err.message);
      throw err;
    }
  }

  async rename(actor: Actor, userId: string, displayName: string): Promise<AdminUser> {
    const target = await this.target(actor, 'rename', userId);
    const name = displayName.trim();
    if (!name || name.length > 200) throw new AdminError('bad_request', fr.server.badDisplayName);
    await this.deps.store.setUserDisplayName(userId, name, {
      kind: 'user_change',
      ...auditActor(actor),
      subject: userId,
      detail: { action: 'rename', username: target.username, from: target.displayName, to: name },
    });
    return this.view({ ...target, displayName: name });
  }

  /** Disabling is one action: the flag, the sessions (same transaction) and the live sockets. */
  async setDisabled(actor: Actor, userId: string, disabled: boolean): Promise<AdminUser> {
    const target = await this.target(actor, disabled ? 'disable' : 'enable', userId);
    await this.deps.store.setUserDisabledAudited(userId, disabled, {
      kind: 'user_change',
      ...auditActor(actor),
      subject: userId,
      detail: { action: disabled ? 'disable' : 'enable', username: target.username, role: target.role },
    });
    if (disabled) this.deps.endUserSessions(userId);
    return this.view({ ...target, disabled });
  }

  /** An account the actor administers; otherwise the same refusal whether it exists or not. */
  private async target(actor: Actor, action: string, userId: string): Promise<UserRecord> {
    await this.requireAdministrator(actor, action);
    const user = await this.deps.store.getUser(userId);
    if (!user || !administers(actor, user.role, this.deps.territories)) {
      await this.refuse(actor, action, userId, {});
      throw new AdminError('forbidden', fr.admin.noSuchUser);
    }
    return user;
  }

  private async requireAdministrator(actor: Actor, action: string): Promise<void> {
    if (isAdministrator(actor)) return;
    await this.refuse(actor, action, null, {});
    throw new AdminError('forbidden', fr.admin.notAdministrator);
  }

  private refuse(actor: Actor, action: string, subject: string | null, detail: { role?: string }): Promise<void> {
    return this.deps.store.recordAudit({ kind: 'scope_refusal', ...auditActor(actor), subject, detail: { resource: 'users', action, ...detail } }, this.deps.now());
  }

  private view(u: UserRecord): AdminUser {
    const role = parseRole(u.role);
    const info = role ? this.deps.territories.info(roleTerritory(role)) : null;
    return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, territoryLabel: info?.label ?? u.role, disabled: u.disabled, createdAt: u.createdAt };
  }
}
