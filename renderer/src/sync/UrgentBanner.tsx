import { useEffect, useMemo } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { excerpt, lateText } from '../eventlog/format';
import { useEventLog } from '../eventlog/store';
import { announced, useUi } from '../stores/ui';

/**
 * Announces urgent messages from others, newest first, as one banner between the header and
 * the board: it takes its own line, so it never covers the log, the detail pane or their
 * buttons. Several collapse into it with their count and « Tout fermer ».
 */
export function UrgentBanner() {
  const urgent = useUi((s) => s.urgent);
  const urgentClosed = useUi((s) => s.urgentClosed);
  const shown = useMemo(() => announced({ urgent, urgentClosed }), [urgent, urgentClosed]);
  const dismiss = useUi((s) => s.dismissUrgent);
  const dismissAll = useUi((s) => s.dismissAllUrgent);
  const setBoard = useUi((s) => s.setBoard);
  const reveal = useEventLog((s) => s.reveal);

  // Opening a message (selecting it, by mouse, keyboard or from here) is reading it.
  useEffect(
    () =>
      useEventLog.subscribe((s, prev) => {
        if (s.selectedMessageId && s.selectedMessageId !== prev.selectedMessageId) useUi.getState().openedUrgent(s.selectedMessageId);
      }),
    [],
  );

  const n = shown[0];
  if (!n) return null;
  return (
    <section className="urgent-banner" role="alert" aria-label={ui.urgent.label} data-testid="urgent-banner" data-count={shown.length}>
      <span className="badge badge-urgent">{ui.urgent.title}</span>
      <div className="urgent-text">
        <span className="urgent-from" data-testid="urgent-from">
          {ui.urgent.from(n.authorPost, n.authorName)}
        </span>
        <span className="urgent-to">{ui.urgent.to(n.territoryLabel)}</span>
        {n.at && lateText({ at: n.at, receivedAt: n.receivedAt ?? null }) && (
          <span className="late-badge" data-testid="urgent-late">
            {lateText({ at: n.at, receivedAt: n.receivedAt ?? null })}
          </span>
        )}
        <span className="urgent-body">{excerpt(n.body, 220)}</span>
      </div>
      {shown.length > 1 && (
        <span className="urgent-count" data-testid="urgent-count">
          {ui.urgent.more(shown.length)}
        </span>
      )}
      <div className="urgent-actions">
        <button
          type="button"
          className="btn btn-small btn-primary"
          data-testid="urgent-show"
          onClick={() => {
            setBoard('eventlog');
            reveal(n.eventId, n.id);
          }}
        >
          {ui.urgent.show}
        </button>
        <button type="button" className="btn btn-small" data-testid="urgent-close" onClick={() => dismiss(n.id)}>
          {ui.urgent.close}
        </button>
        {shown.length > 1 && (
          <button type="button" className="btn btn-small" data-testid="urgent-close-all" onClick={dismissAll}>
            {ui.urgent.closeAll}
          </button>
        )}
      </div>
    </section>
  );
}
