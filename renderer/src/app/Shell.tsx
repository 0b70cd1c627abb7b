import { useEffect } from 'react';
import { BedsBoard } from '../beds/BedsBoard';
import { EventLogBoard } from '../eventlog/EventLogBoard';
import { useUi } from '../stores/ui';
import { RejectedList } from '../sync/RejectedList';
import { StatusBar } from '../sync/StatusBar';
import { UrgentToasts } from '../sync/UrgentToasts';
import { boardLabel } from './boards';
import { ComingSoon } from './ComingSoon';
import { Header } from './Header';
import { HelpPanel } from './HelpPanel';
import { useGlobalShortcuts } from './useGlobalShortcuts';
import { connectPushedEvents } from './wiring';

/** The signed-in application: header, refused operations, the board, the status bar. */
export function Shell() {
  const board = useUi((s) => s.board);
  useGlobalShortcuts();
  useEffect(() => connectPushedEvents(), []);

  return (
    <div className="shell">
      <Header />
      <RejectedList />
      <div className="board">
        {/* The event log stays mounted while another board shows: its grid keeps its scroll and selection. */}
        <div className="board-page" hidden={board !== 'eventlog'}>
          <EventLogBoard />
        </div>
        {board === 'beds' && (
          <div className="board-page">
            <BedsBoard />
          </div>
        )}
        {board !== 'eventlog' && board !== 'beds' && <ComingSoon board={boardLabel[board]} />}
      </div>
      <StatusBar />
      <UrgentToasts />
      <HelpPanel />
    </div>
  );
}
