import { useEffect } from 'react';
import { AdminPanel } from '../admin/AdminPanel';
import { rendererBoards } from '../boards';
import { useUi } from '../stores/ui';
import { RejectedList } from '../sync/RejectedList';
import { StatusBar } from '../sync/StatusBar';
import { OfflineBanner } from '../sync/OfflineBanner';
import { UrgentBanner } from '../sync/UrgentBanner';
import { boardLabel, READY_BOARDS } from './boards';
import { ComingSoon } from './ComingSoon';
import { Header } from './Header';
import { HelpPanel } from './HelpPanel';
import { UpdateBanner } from './UpdateBanner';
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
      <OfflineBanner />
      <UrgentBanner />
      <UpdateBanner />
      <div className="board">
        {rendererBoards.map(({ id, View, keepMounted }) =>
          // A board kept mounted is only hidden while another shows (the event log's grid keeps its scroll and selection).
          keepMounted ? (
            <div key={id} className="board-page" hidden={board !== id}>
              <View />
            </div>
          ) : (
            board === id && (
              <div key={id} className="board-page">
                <View />
              </div>
            )
          ),
        )}
        {!READY_BOARDS.has(board) && <ComingSoon board={boardLabel[board]} />}
      </div>
      <StatusBar />
      <HelpPanel />
      <AdminPanel />
    </div>
  );
}
