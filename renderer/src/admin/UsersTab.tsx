/** Accounts the signed-in administrator manages: a creation form and a plain table (rename, disable, enable). */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminUser } from '../../../common/admin/api';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';

export function UsersTab({ scopeLabel }: { scopeLabel: string }) {
  const t = ui.admin;
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ username: '', displayName: '', role: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);

  const load = useCallback(async () => {
    const reply = await call('admin.users', {});
    if (reply.ok) {
      setUsers(reply.data);
      setError(null);
    } else setError(reply.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const reply = await call('admin.create', form);
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error.message);
      setNotice(null);
      return;
    }
    setError(null);
    setNotice(t.create.done(reply.data.username));
    setForm({ username: '', displayName: '', role: '', password: '' });
    document.querySelector<HTMLInputElement>('[data-testid="admin-create-username"]')?.focus();
    await load();
  }

  async function setDisabled(u: AdminUser, disabled: boolean) {
    if (disabled && !window.confirm(t.users.confirmDisable(u.username))) return;
    const reply = await call('admin.setDisabled', { userId: u.id, disabled });
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setError(null);
    setNotice(disabled ? t.users.disabledDone(u.username) : t.users.enabledDone(u.username));
    await load();
  }

  async function rename(u: AdminUser, displayName: string) {
    const reply = await call('admin.rename', { userId: u.id, displayName });
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setRenaming(null);
    setError(null);
    setNotice(t.users.renamedDone(u.username));
    await load();
  }

  const field = (key: keyof typeof form, label: string, type = 'text', hint?: string) => (
    <label className="field admin-field">
      <span>{label}</span>
      <input
        type={type}
        value={form[key]}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        data-testid={`admin-create-${key}`}
        required
      />
      {hint && <small className="muted">{hint}</small>}
    </label>
  );

  return (
    <div className="admin-users">
      <p className="small muted">{t.scope(scopeLabel)}</p>
      <form className="admin-create" onSubmit={(e) => void create(e)} aria-label={t.create.legend}>
        <fieldset>
          <legend>{t.create.legend}</legend>
          <div className="admin-create-fields">
            {field('username', t.create.username)}
            {field('displayName', t.create.displayName)}
            {field('role', t.create.role, 'text', t.create.roleHint)}
            {field('password', t.create.password, 'password', t.create.passwordHint)}
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-create-submit">
            {t.create.submit}
          </button>
        </fieldset>
      </form>
      {error && (
        <p className="form-error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="small" role="status" data-testid="admin-notice">
          {notice}
        </p>
      )}
      {users === null ? (
        <p className="muted">{t.users.loading}</p>
      ) : users.length === 0 ? (
        <p className="muted">{t.users.none}</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table" data-testid="admin-users">
            <caption className="sr-only">{t.users.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.users.username}</th>
                <th scope="col">{t.users.displayName}</th>
                <th scope="col">{t.users.role}</th>
                <th scope="col">{t.users.territory}</th>
                <th scope="col">{t.users.state}</th>
                <th scope="col">{t.users.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid={`admin-user-${u.username}`} className={u.disabled ? 'admin-disabled' : undefined}>
                  <td>{u.username}</td>
                  <td>
                    {renaming?.id === u.id ? (
                      <form
                        className="admin-rename"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void rename(u, renaming.name);
                        }}
                      >
                        <input aria-label={t.users.displayName} value={renaming.name} onChange={(e) => setRenaming({ id: u.id, name: e.target.value })} autoFocus />
                        <button type="submit" className="btn btn-small">
                          {t.users.renameSave}
                        </button>
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => setRenaming(null)}>
                          {t.users.renameCancel}
                        </button>
                      </form>
                    ) : (
                      u.displayName
                    )}
                  </td>
                  <td>{u.role}</td>
                  <td>{u.territoryLabel}</td>
                  <td data-testid="admin-user-state">{u.disabled ? t.users.disabled : t.users.active}</td>
                  <td>
                    <div className="admin-actions">
                      <button type="button" className="btn btn-small" aria-label={t.users.actionFor(t.users.rename, u.username)} onClick={() => setRenaming({ id: u.id, name: u.displayName })}>
                        {t.users.rename}
                      </button>
                      {u.disabled ? (
                        <button type="button" className="btn btn-small" data-testid="admin-enable" aria-label={t.users.actionFor(t.users.enable, u.username)} onClick={() => void setDisabled(u, false)}>
                          {t.users.enable}
                        </button>
                      ) : (
                        <button type="button" className="btn btn-small btn-danger" data-testid="admin-disable" aria-label={t.users.actionFor(t.users.disable, u.username)} onClick={() => void setDisabled(u, true)}>
                          {t.users.disable}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
