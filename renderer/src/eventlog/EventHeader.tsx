import { useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import { useSession } from '../stores/session';
import { canManageEvents, formatFullTime } from './format';
import { isInside } from './territories';

/** The selected event: title, territory, who opened it, and its closing. */
export function EventHeader() {
  const event = useEventLog((s) => s.events.find((e) => e.id === s.selectedEventId) ?? null);
  const closeEvent = useEventLog((s) => s.closeEvent);
  const eventError = useEventLog((s) => s.eventError);
  const user = useSession((s) => s.session?.user ?? null);
  const referential = useSession((s) => s.referential);
  const [confirming, setConfirming] = useState(false);

  if (!event) return <div className="event-header empty">{ui.events.selectPrompt}</div>;
  const closed = event.status === 'closed';
  // The server lets a role close only the events at or below its own territory.
  const mayClose = !closed && user !== null && canManageEvents(user.role) && isInside(event.territory, user.territory, referential);

  return (
    <div className="event-header" data-testid="event-header">
      <div className="event-header-main">
        <h1 className="event-header-title">
          {event.title}
          {closed && <span className="badge badge-muted">{ui.events.closedBadge}</span>}
          {event.pending && <span className="badge badge-pending">{ui.events.pendingBadge}</span>}
        </h1>
        <div className="event-header-meta">
          <span className="event-header-territory">{event.territoryLabel}</span>
          <span>{ui.events.openedBy(event.openedBy, formatFullTime(event.openedAt))}</span>
          {closed && event.closedBy && event.closedAt && <span>{ui.events.closedBy(event.closedBy, formatFullTime(event.closedAt))}</span>}
        </div>
        {event.description && <p className="event-header-desc">{event.description}</p>}
        {eventError && (
          <p className="form-error" role="alert">
            {eventError}
          </p>
        )}
      </div>
      {mayClose && (
        <div
          className="event-header-actions"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && confirming) {
              e.stopPropagation();
              setConfirming(false);
            }
          }}
        >
          {confirming ? (
            <>
              <button
                type="button"
                className="btn btn-small btn-danger"
                data-testid="event-close-confirm"
                onClick={() => {
                  setConfirming(false);
                  void closeEvent(event.id);
                }}
              >
                {ui.events.confirmClose}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
                {ui.events.cancel}
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-small" data-testid="event-close" onClick={() => setConfirming(true)}>
              {ui.events.close}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
