/**
 * Badges of a message as React elements, for the detail pane. The grid draws the same
 * badges with plain DOM renderers (`gridCells.ts`).
 */
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import type { MessageView } from '../../../common/domain/eventlog/api';

export function PriorityBadge({ priority }: { priority: MessageView['priority'] }) {
  return <span className={`badge badge-prio-${priority}`}>{fr.priority[priority] ?? priority}</span>;
}

/** Status badges of a message (the grid draws the same ones in `gridCells.ts`). */
export function StatusBadges({ m, linkable = true }: { m: MessageView; linkable?: boolean }) {
  const selectMessage = useEventLog((s) => s.selectMessage);
  return (
    <span className="badges">
      {m.pending && (
        <span className="badge badge-pending" title={ui.badges.pendingTitle} data-badge="pending">
          {ui.badges.pending}
        </span>
      )}
      {m.replacedBy &&
        (linkable ? (
          <button
            type="button"
            className="badge badge-superseded badge-link"
            title={ui.badges.supersededTitle}
            data-badge="superseded"
            onClick={(e) => {
              e.stopPropagation();
              if (m.replacedBy) selectMessage(m.replacedBy);
            }}
          >
            {ui.badges.superseded} →
          </button>
        ) : (
          <span className="badge badge-superseded" data-badge="superseded">
            {ui.badges.superseded}
          </span>
        ))}
      {m.correctedBy.length > 0 && (
        <span className="badge badge-corrected" title={ui.badges.correctedTitle} data-badge="corrected">
          {ui.badges.corrected}
        </span>
      )}
      {m.corrects && (
        <span className="badge badge-outline" title={ui.badges.correctionTitle} data-badge="correction">
          {ui.badges.correction}
        </span>
      )}
      {m.kind === 'consigne' && !m.replacedBy && (
        <span
          className={`badge ${m.expectedAckCount > 0 && m.ackCount >= m.expectedAckCount ? 'badge-ok' : 'badge-acks'}`}
          title={ui.badges.acksTitle}
          data-badge="acks"
        >
          {ui.badges.acks(m.ackCount, m.expectedAckCount)}
        </span>
      )}
    </span>
  );
}
