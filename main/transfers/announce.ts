/**
 * What a transfer's step tells its parties when it reaches them: the destination establishment
 * learns of an incoming request, the requesting SAMU of an acceptance or a refusal. Own steps
 * are never announced to their author's workstation.
 */
import type { AnnounceContext } from '../board';
import type { Change } from '../../common/protocol';
import { fr } from '../../common/i18n/fr';
import { parseRole } from '../../common/territory';
import type { Transfer } from '../../common/domain/transfers/model';

export function announceTransfers(fresh: readonly Change[], ctx: AnnounceContext): void {
  const role = parseRole(ctx.roleText);
  if (!role) return;
  for (const c of fresh) {
    if (c.entity !== 'transfer') continue;
    const t: Transfer = c.data;
    const last = t.steps[t.steps.length - 1];
    if (last && last.byRole === ctx.roleText) continue;
    const from = ctx.labelOf(`E:${t.originFiness}`);
    const to = t.destFiness ? ctx.labelOf(`E:${t.destFiness}`) : '';
    if (t.state === 'propose' && role.kind === 'establishment' && role.finess === t.destFiness) {
      ctx.emit('transfer.notice', { id: t.id, number: t.number, kind: 'incoming', text: fr.transfers.notice.incoming(t.number, from, fr.transfers.need[t.patient.need]) });
    } else if (role.kind === 'samu' && `D:${role.dep}` === t.samu && (t.state === 'accepte' || t.state === 'refuse')) {
      ctx.emit('transfer.notice', {
        id: t.id,
        number: t.number,
        kind: t.state === 'accepte' ? 'accepted' : 'refused',
        text: t.state === 'accepte' ? fr.transfers.notice.accepted(t.number, to) : fr.transfers.notice.refused(t.number, to, t.reason ?? ''),
      });
    }
  }
}
