import { useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import { useSession } from '../stores/session';
import { canManageEvents } from './format';
import { OpenEventForm } from './OpenEventForm';
import type { EventView } from '../../../common/domain/eventlog/api';

/** The crisis events the user may see, open ones first, most recent first. */
export function EventList() {
  const events = useEventLog((s) => s.events);
  const loaded = useEventLog((s) => s.eventsLoaded);
  const error = useEventLog((s) => s.eventsError);
  const selectedId = useEventLog((s) => s.selectedEventId);
  const selectEvent = useEventLog((s) => s.selectEvent);
  const role = useSession((s) => s.session?.user.role ?? '');
  const [formOpen, setFormOpen] = useState(false);

  const byRecent = [...events].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  const open = byRecent.filter((e) => e.status === 'open');
  const closed = byRecent.filter((e) => e.status === 'closed');

  const item = (e: EventView) => (
    <li key={e.id}>
      <button
        type="button"
        className={`event-item${e.id === selectedId ? ' selected' : ''}${e.status === 'closed' ? ' closed' : ''}`}
        data-testid="event-item"
        data-event-id={e.id}
        aria-current={e.id === selectedId ? 'true' : undefined}
        onClick={() => selectEvent(e.id)}
      >
        <span className="event-title">{e.title}</span>
        <span className="event-meta">
          <span>{e.territoryLabel}</span>
          <span className="event-count">{ui.events.messages(e.messageCount)}</span>
        </span>
        {(e.pending || e.status === 'closed') && (
          <span className="event-badges">
            {e.status === 'closed' && <span className="badge badge-muted">{ui.events.closedBadge}</span>}
            {e.pending && <span className="badge badge-pending">{ui.events.pendingBadge}</span>}
          </span>
        )}
      </button>
    </li>
  );

  return (
    <div className="events">
      <div className="pane-head">
        <h2>{ui.events.title}</h2>
        {canManageEvents(role) && !formOpen && (
          <button type="button" className="btn btn-small" data-testid="event-new" onClick={() => setFormOpen(true)}>
            {ui.events.newEvent}
          </button>
        )}
      </div>
      {formOpen && <OpenEventForm onDone={() => setFormOpen(false)} />}
      {error && <p className="form-error">{error}</p>}
      <div className="events-scroll" data-testid="event-list">
        <h3 className="events-group">{ui.events.open}</h3>
        {open.length ? <ul>{open.map(item)}</ul> : loaded && <p className="muted small">{ui.events.noneOpen}</p>}
        {closed.length > 0 && (
          <>
            <h3 className="events-group">{ui.events.closed}</h3>
            <ul>{closed.map(item)}</ul>
          </>
        )}
      </div>
    </div>
  );
}
