import { useEffect, useState } from 'react';
import type { SetupState } from '../../../common/app/setup';
import { ui } from '../../../common/i18n/ui.fr';
import { api } from '../api';
import { usePolicy } from '../policy/store';
import { FirstRunScreen } from '../session/FirstRunScreen';
import { LoginScreen } from '../session/LoginScreen';
import { useSession } from '../stores/session';
import { Shell } from './Shell';

export function App() {
  const phase = useSession((s) => s.phase);
  const userId = useSession((s) => s.session?.user.id ?? null);
  // Null until known; a workstation with no server address opens on the first-run screen.
  const [setup, setSetup] = useState<SetupState | null>(null);

  useEffect(() => {
    void usePolicy.getState().load();
    void api.call('setup.state', {}).then((reply) => {
      // A host without the call (never: both hosts register it) is treated as configured.
      setSetup(reply.ok ? reply.data : { serverUrl: null, source: 'configured', needsServer: false, lockedBy: null });
    });
    void useSession.getState().init();
  }, []);

  if (phase === 'loading' || setup === null) return <div className="splash">{ui.app.loading}</div>;
  if (phase === 'anonymous' && setup.needsServer) {
    return (
      <FirstRunScreen
        initial={setup.serverUrl ?? ''}
        onChosen={(serverUrl) => {
          useSession.setState({ serverUrl, error: null });
          setSetup({ ...setup, serverUrl, source: 'chosen', needsServer: false });
        }}
      />
    );
  }
  // An address chosen at the first-run screen may be chosen again (not one set by the policy or the command line).
  if (phase === 'anonymous') return <LoginScreen onChangeServer={setup.source === 'chosen' ? () => setSetup({ ...setup, needsServer: true }) : undefined} />;
  // Keyed by user: a new sign-in starts from fresh component state.
  return <Shell key={userId ?? 'anonymous'} />;
}
