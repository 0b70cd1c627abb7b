import { ui } from '../../../common/i18n/ui.fr';
import { AdminButton } from '../admin/AdminButton';
import { identityLine } from '../eventlog/format';
import { PolicyBanner } from '../policy/Banner';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { boardLabel, BOARDS } from './boards';
import { logoutAndForget } from './wiring';

export function Header() {
  const session = useSession((s) => s.session);
  const board = useUi((s) => s.board);
  const setBoard = useUi((s) => s.setBoard);
  const toggleHelp = useUi((s) => s.toggleHelp);
  const user = session?.user;
  const demoWaived = useSession((s) => s.secondFactorWaived);

  return (
    <>
      {/* The policy's banner (« Exercice » / « Crise réelle »): above the bar, on every board. */}
      <PolicyBanner />
      <header className="appbar">
        <div className="appbar-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{ui.app.name}</span>
        </div>
        <nav className="appbar-nav" aria-label={ui.boards.navLabel}>
          {BOARDS.map((b, i) => (
            <button
              key={b}
              type="button"
              className={`nav-tab${board === b ? ' active' : ''}`}
              data-testid={`nav-${b}`}
              aria-current={board === b ? 'page' : undefined}
              title={`${boardLabel[b]} (${ui.shortcuts.boardKey(i + 1)})`}
              onClick={() => setBoard(b)}
            >
              {boardLabel[b]}
              <kbd>{ui.shortcuts.boardKey(i + 1)}</kbd>
            </button>
          ))}
        </nav>
        <div className="appbar-user">
          {user && (
            <div className="user-id" data-testid="user-identity">
              <span className="user-name">{user.displayName}</span>
              <span className="user-role">{identityLine(user)}</span>
            </div>
          )}
          <AdminButton />
          {demoWaived && (
            <span className="demo-badge" data-testid="second-factor-waived" title={ui.header.demoWaivedTitle}>
              {ui.header.demoWaived}
            </span>
          )}
          <button type="button" className="btn btn-ghost" onClick={toggleHelp} title={ui.header.helpTitle}>
            {ui.header.help}
            <kbd>{ui.shortcuts.helpKey}</kbd>
          </button>
          <button type="button" className="btn btn-ghost" data-testid="logout" onClick={() => void logoutAndForget()}>
            {ui.header.logout}
          </button>
        </div>
      </header>
    </>
  );
}
