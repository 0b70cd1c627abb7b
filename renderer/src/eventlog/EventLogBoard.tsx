import { Composer } from './Composer';
import { EventHeader } from './EventHeader';
import { EventList } from './EventList';
import { FilterBar } from './FilterBar';
import { MessageDetail } from './MessageDetail';
import { MessageGrid } from './MessageGrid';
import { useEventLog } from './store';
import { EventViewTabs, RoomPanel } from './RoomPanel';
import { useRoom } from './roomStore';
import { useSession } from '../stores/session';
import { roleKind } from './format';
// The app's base and controls first, so that the event log's rules follow them in the cascade.
import './eventlog.css';

/** The main courante: events on the left, the log in the middle, the selected message on the right. */
export function EventLogBoard() {
  const hasEvent = useEventLog((s) => s.selectedEventId !== null);
  // SAMU keep their reinforcement room in the event; their ARS and the national cell read it.
  const seesRooms = useSession((s) => ['samu', 'ars', 'national'].includes(roleKind(s.session?.user.role ?? '')));
  const view = useRoom((s) => (seesRooms ? s.view : 'log'));
  return (
    <div className="eventlog">
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
      <aside className="pane detail-pane">
        <MessageDetail />
      </aside>
    </div>
  );
}
