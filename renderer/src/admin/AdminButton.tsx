/** The header's « Administration » button, shown to national and ARS accounts only. */
import { ui } from '../../../common/i18n/ui.fr';
import { useSession } from '../stores/session';
import { canAdminister, useAdminPanel } from './store';

export function AdminButton() {
  const role = useSession((s) => s.session?.user.role);
  const setOpen = useAdminPanel((s) => s.setOpen);
  if (!canAdminister(role)) return null;
  return (
    <button type="button" className="btn btn-ghost" data-testid="admin-open" title={ui.admin.buttonTitle} onClick={() => setOpen(true)}>
      {ui.admin.button}
    </button>
  );
}
