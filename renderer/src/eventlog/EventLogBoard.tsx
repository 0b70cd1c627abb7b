import { Composer } from './Composer';
import { EventHeader } from './EventHeader';
import { EventList } from './EventList';
import { FilterBar } from './FilterBar';
import { MessageDetail } from './MessageDetail';
import { MessageGrid } from './MessageGrid';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import { EventViewTabs, RoomPanel } from './RoomPanel';
import { useRoom } from './roomStore';
import { useSession } from '../stores/session';
import { roleKind } from './format';
// The app's base and controls first, so that the event log's rules follow them in the cascade.
import './eventlog.css';

export const DETAIL_CONTENT_ID = 'message-detail-content';

/**
 * The main courante: events on the left, the log in the middle, the selected message on the
 * right. The detail folds to a narrow strip (a button, so the keyboard reaches it) to give
 * the log the width of a 1366-pixel screen.
 */
export function EventLogBoard() {
  const hasEvent = useEventLog((s) => s.selectedEventId !== null);
  // SAMU keep their reinforcement room in the event; their ARS and the national cell read it.
  const seesRooms = useSession((s) => ['samu', 'ars', 'national'].includes(roleKind(s.session?.user.role ?? '')));
  const view = useRoom((s) => (seesRooms ? s.view : 'log'));
  const folded = useEventLog((s) => s.detailFolded);
  const setDetailFolded = useEventLog((s) => s.setDetailFolded);
  return (
    <div className={`eventlog${folded ? ' detail-folded' : ''}`}>
      <aside className="pane events-pane">
        <EventList />
      </aside>
      <section className="pane log-pane">
        <EventHeader />
        {hasEvent && seesRooms && <EventViewTabs />}
        {hasEvent && view === 'room' && <RoomPanel />}
        {hasEvent && (
          // Hidden, not unmounted, while the room shows: the grid keeps its scroll and selection.
          <div className="log-view" hidden={view !== 'log'}>
            <FilterBar />
            <MessageGrid />
            <Composer />
          </div>
        )}
      </section>
      <aside className="pane detail-pane" aria-label={ui.detail.title}>
        <button
          type="button"
          className="detail-toggle"
          data-testid="detail-toggle"
          aria-expanded={!folded}
          aria-controls={DETAIL_CONTENT_ID}
          title={folded ? ui.detail.unfoldTitle : ui.detail.foldTitle}
          onClick={() => setDetailFolded(!folded)}
        >
          <span aria-hidden="true">{folded ? '◂' : '▸'}</span>
          <span className="detail-toggle-text">{folded ? ui.detail.unfold : ui.detail.fold}</span>
        </button>
        <div id={DETAIL_CONTENT_ID} className="detail-content" hidden={folded}>
          <MessageDetail />
        </div>
      </aside>
    </div>
  );
}
