/** The event log tells the user of an urgent message someone else posted, as it arrives live. */
import type { Message } from '../../common/domain/eventlog/model';
import type { AnnounceContext } from '../board';
import type { Change } from '../../common/protocol';
import { parseRole, roleTerritory } from '../../common/territory';

/** The author's post as people name it: the label of the role's territory (« SAMU 75 — Paris »). */
function postLabel(roleText: string, labelOf: (territory: string) => string): string {
  const role = parseRole(roleText);
  return role ? labelOf(roleTerritory(role)) : roleText;
}

export function announceUrgent(fresh: readonly Change[], ctx: AnnounceContext): void {
  for (const c of fresh) {
    if (c.entity !== 'message') continue;
    const m: Message = c.data;
    if (m.priority === 'urgent' && m.authorId !== ctx.userId) {
      ctx.emit('message.urgent', {
        id: m.id,
        eventId: m.eventId,
        body: m.body,
        authorName: m.authorName,
        authorPost: postLabel(m.authorRole, ctx.labelOf),
        territoryLabel: ctx.labelOf(m.territory),
        at: m.at,
        receivedAt: m.receivedAt ?? null,
      });
    }
  }
}
