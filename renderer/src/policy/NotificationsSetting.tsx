/**
 * Desktop notifications on or off for this workstation (help panel, F1). A policy may decide
 * instead (shared screens): the box is then disabled and says who decided.
 */
import { useEffect, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { api } from '../api';
import { usePolicy } from './store';

export function NotificationsSetting() {
  const organisation = usePolicy((s) => s.view.organisation);
  const [state, setState] = useState<{ enabled: boolean; userChoice: boolean } | null>(null);

  useEffect(() => {
    void api.call('app.notifications', {}).then((r) => r.ok && setState(r.data));
  }, []);

  if (!state) return null;
  return (
    <div className="notifications-setting">
      <h3>{ui.notifications.title}</h3>
      <label>
        <input
          type="checkbox"
          data-testid="notifications-enabled"
          checked={state.enabled}
          disabled={!state.userChoice}
          onChange={(e) => void api.call('app.setNotifications', { enabled: e.target.checked }).then((r) => r.ok && setState(r.data))}
        />
        <span>{ui.notifications.label}</span>
      </label>
      {!state.userChoice && (
        <p className="locked-note small" data-testid="notifications-locked">
          {state.enabled ? ui.notifications.lockedOn(organisation ?? '') : ui.notifications.lockedOff(organisation ?? '')}
        </p>
      )}
    </div>
  );
}
