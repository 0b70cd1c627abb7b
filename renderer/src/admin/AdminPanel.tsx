/**
 * The « Administration » panel: a dialog over the shell with two tabs, the accounts the user
 * administers and (national accounts only) the audit trail. Keyboard: it takes the focus on
 * open, ←/→ move between tabs when one has the focus, Échap closes it.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useSession } from '../stores/session';
import { AuditTab } from './AuditTab';
import { canAdminister, useAdminPanel } from './store';
import { UsersTab } from './UsersTab';
import './admin.css';

type Tab = 'users' | 'audit';

export function AdminPanel() {
  const open = useAdminPanel((s) => s.open);
  const setOpen = useAdminPanel((s) => s.setOpen);
  const user = useSession((s) => s.session?.user);
  const [tab, setTab] = useState<Tab>('users');
  const ref = useRef<HTMLDivElement>(null);
  const national = user?.role === 'national';

  useEffect(() => {
    if (!open) return;
    ref.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);

  if (!open || !user || !canAdminister(user.role)) return null;
  const tabs: Array<[Tab, string]> = national ? [['users', ui.admin.tabUsers], ['audit', ui.admin.tabAudit]] : [['users', ui.admin.tabUsers]];
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex(([id]) => id === tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length][0];
    setTab(next);
    requestAnimationFrame(() => ref.current?.querySelector<HTMLElement>(`#admin-tab-${next}`)?.focus());
  };

  return (
    <div className="modal-backdrop">
      <div className="modal admin-panel" role="dialog" aria-modal="true" aria-labelledby="admin-title" data-testid="admin-panel" ref={ref}>
        <div className="admin-head">
          <h2 id="admin-title">{ui.admin.title}</h2>
          <div className="admin-tabs" role="tablist" aria-label={ui.admin.title}>
            {tabs.map(([id, label]) => (
              <button
                key={id}
                id={`admin-tab-${id}`}
                type="button"
                role="tab"
                aria-selected={tab === id}
                aria-controls={`admin-tabpanel-${id}`}
                tabIndex={tab === id ? 0 : -1}
                className={`nav-tab${tab === id ? ' active' : ''}`}
                data-testid={`admin-tab-${id}`}
                onClick={() => setTab(id)}
                onKeyDown={onTabKey}
              >
                {label}
              </button>
            ))}
          </div>
          <span className="admin-spacer" />
          <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)} data-testid="admin-close">
            {ui.admin.close} <kbd>Échap</kbd>
          </button>
        </div>
        <div id={`admin-tabpanel-${tab}`} role="tabpanel" aria-labelledby={`admin-tab-${tab}`} className="admin-body">
          {tab === 'users' ? <UsersTab scopeLabel={user.territoryLabel} /> : <AuditTab />}
        </div>
      </div>
    </div>
  );
}
