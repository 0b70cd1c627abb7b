/**
 * What awaits action on this workstation, for the tray's tooltip and the badge: urgent
 * consignes this post must still acknowledge, transfer proposals waiting for this
 * establishment's answer, and beds held for a patient whose hold expired before the arrival
 * (the same rule as the transfers' clock notices, `dueNotices`).
 *
 * `countAttention` is pure (the clock is an argument); `gatherAttention` reads through the
 * ConsoleApi calls the views use, so the tray sees exactly what the boards show.
 */
import type { MessageView } from '../../common/domain/eventlog/api';
import type { TransferSettings } from '../../common/domain/transfers/api';
import type { BedHold, Transfer } from '../../common/domain/transfers/model';
import type { CallReply } from '../../common/engine/calls';
import { fr } from '../../common/i18n/fr';
import { parseRole, type Role } from '../../common/territory';
import { dueNotices } from '../transfers/notices';

export interface AttentionCounts {
  /** Urgent consignes addressed to this post and not acknowledged by it. */
  urgent: number;
  /** Proposals whose destination is this establishment, not answered yet. */
  proposals: number;
  /** Holds past their expiry while the patient has not arrived (SAMU and destination). */
  expired: number;
  total: number;
}

export const NO_ATTENTION: AttentionCounts = { urgent: 0, proposals: 0, expired: 0, total: 0 };

export function countAttention(q: { messages: readonly MessageView[]; transfers: readonly Transfer[]; holds: readonly BedHold[]; role: Role; now: number; settings: TransferSettings }): AttentionCounts {
  const urgent = new Set(q.messages.filter((m) => m.priority === 'urgent' && m.canAck && !m.ackedByMe).map((m) => m.id)).size;
  const role = q.role;
  const proposals = role.kind === 'establishment' ? q.transfers.filter((t) => t.state === 'propose' && t.destFiness === role.finess).length : 0;
  const expired = dueNotices({ transfers: q.transfers, holds: q.holds, role: q.role, now: q.now, settings: q.settings, labelOf: (k) => k }).filter((d) => d.notice.kind === 'expired').length;
  return { urgent, proposals, expired, total: urgent + proposals + expired };
}

/** The tray's tooltip: the total, then one line per kind that is not zero. */
export function attentionText(c: AttentionCounts): string {
  return [fr.desktop.trayTooltip(c.total), ...fr.desktop.trayDetail(c.urgent, c.proposals, c.expired)].join('\n');
}

/** One ConsoleApi call (the services' `dispatch`). */
export type Dispatch = (name: string, args: unknown) => Promise<CallReply<unknown>>;

/** Reads the counts through ConsoleApi; nobody signed in (or a call refused) counts nothing. */
export async function gatherAttention(dispatch: Dispatch, now = Date.now()): Promise<AttentionCounts> {
  const get = async <T>(name: string, args: unknown): Promise<T | null> => {
    const reply = await dispatch(name, args);
    return reply.ok ? (reply.data as T) : null;
  };
  const session = await get<{ user: { role: string } } | null>('session.current', {});
  const role = session ? parseRole(session.user.role) : null;
  if (!role) return NO_ATTENTION;
  const events = (await get<Array<{ id: string; status: string }>>('events.list', {})) ?? [];
  const messages: MessageView[] = [];
  for (const e of events) {
    if (e.status !== 'open') continue;
    messages.push(...((await get<MessageView[]>('messages.list', { eventId: e.id, filter: { priorities: ['urgent'] } })) ?? []));
  }
  const transfers = (await get<Transfer[]>('transfers.list', {})) ?? [];
  const holds = (await get<BedHold[]>('transfers.holds', {})) ?? [];
  const settings = await get<TransferSettings>('transfers.settings', {});
  if (!settings) return NO_ATTENTION;
  return countAttention({ messages, transfers, holds, role, now, settings });
}
