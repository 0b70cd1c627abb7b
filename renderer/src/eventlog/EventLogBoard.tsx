import { Composer } from './Composer';
import { EventHeader } from './EventHeader';
import { EventList } from './EventList';
import { FilterBar } from './FilterBar';
import { MessageDetail } from './MessageDetail';
import { MessageGrid } from './MessageGrid';
import { useEventLog } from './store';
// The app's base and controls first, so that the event log's rules follow them in the cascade.
import './eventlog.css';

/** The main courante: events on the left, the log in the middle, the selected message on the right. */
export function EventLogBoard() {
  const hasEvent = useEventLog((s) => s.selectedEventId !== null);
  return (
    <div className="eventlog">
      <aside className="pane events-pane">
        <EventList />
      </aside>
      <section className="pane log-pane">
        <EventHeader />
        {hasEvent && (
          <>
            <FilterBar />
            <MessageGrid />
            <Composer />
          </>
        )}
      </section>
      <aside className="pane detail-pane">
        <MessageDetail />
      </aside>
    </div>
  );
}
