import { useEffect } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { LoginScreen } from '../session/LoginScreen';
import { useSession } from '../stores/session';
import { Shell } from './Shell';

export function App() {
  const phase = useSession((s) => s.phase);
  const userId = useSession((s) => s.session?.user.id ?? null);

  useEffect(() => {
    void useSession.getState().init();
  }, []);

  if (phase === 'loading') return <div className="splash">{ui.app.loading}</div>;
  if (phase === 'anonymous') return <LoginScreen />;
  // Keyed by user: a new sign-in starts from fresh component state.
  return <Shell key={userId ?? 'anonymous'} />;
}
