/** The event log's part of the renderer: its page, kept mounted, and its store (events read at sign-in). */
import { defineRendererBoard } from '../board';
import { EventLogBoard } from './EventLogBoard';
import { useEventLog } from './store';

export const eventLogRenderer = defineRendererBoard({
  id: 'eventlog',
  View: EventLogBoard,
  // Its grid keeps its scroll and selection while another board shows.
  keepMounted: true,
  store: useEventLog,
  firstLoad: () => useEventLog.getState().loadEvents(),
});
