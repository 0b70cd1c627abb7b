/**
 * What the transport layers record in the audit trail outside a mutation: logins, failed
 * logins, and the clinical summaries a pull delivered. One entry per event, in its own
 * transaction (there is none to join: a login creates a session, a pull writes nothing).
 */
import type { Actor } from '../../../common/engine/mutation';
import type { Change } from '../../../common/protocol';
import type { ServerStore } from '../store/types';

export class AuditRecorder {
  constructor(
    private readonly store: ServerStore,
    private readonly now: () => Date,
  ) {}

  async login(user: { id: string; displayName: string; role: string }, address: string): Promise<void> {
    await this.store.recordAudit({ kind: 'login', actorId: user.id, actorName: user.displayName, actorRole: user.role, subject: user.id, detail: { address } }, this.now());
  }

  /**
   * The name typed is recorded only when it is an account's (then as that account): a
   * refused login may carry a password typed in the wrong field.
   */
  async loginFailed(username: string, address: string, status: number): Promise<void> {
    const account = await this.store.findUserByUsername(username);
    await this.store.recordAudit(
      {
        kind: 'login_failed',
        actorId: account?.id ?? null,
        actorName: account?.displayName ?? '(identifiant inconnu)',
        actorRole: account?.role ?? '',
        subject: account?.id ?? null,
        detail: { address, status, account: account?.username },
      },
      this.now(),
    );
  }

  /** A request the server refused on authority (not a mutator's rejection: those are in the push's entry). */
  async refused(actor: Actor, detail: { resource: string; action: string; clientId?: string }): Promise<void> {
    await this.store.recordAudit({ kind: 'scope_refusal', actorId: actor.userId, actorName: actor.displayName, actorRole: actor.roleText, subject: detail.clientId ?? null, detail }, this.now());
  }

  /**
   * One entry per pull that delivered clinical summaries: whose (the transfers' ids and the
   * versions read), to whom. Nothing when the page had none (the common case: one filter).
   */
  async summariesPulled(actor: Actor, changes: readonly Change[]): Promise<void> {
    let read: Array<[string, number]> | undefined;
    for (const c of changes) {
      if (c.entity !== 'transferSummary') continue;
      (read ??= []).push([c.data.transferId, c.version]);
    }
    if (!read) return;
    await this.store.recordAudit(
      {
        kind: 'summary_read',
        actorId: actor.userId,
        actorName: actor.displayName,
        actorRole: actor.roleText,
        subject: null,
        detail: { via: 'pull', transfers: read.map(([id]) => id), versions: read.map(([, v]) => v) },
      },
      this.now(),
    );
  }
}
