import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { PolicyBanner } from '../policy/Banner';
import { useSession } from '../stores/session';

/** `onChangeServer`: offered when the address was chosen at the first-run screen (never when the policy sets it). */
export function LoginScreen({ onChangeServer }: { onChangeServer?: () => void } = {}) {
  const { busy, error, serverUrl, login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => userRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setLocalError(ui.login.missingFields);
      return;
    }
    setLocalError(null);
    const ok = await login(username.trim(), password);
    if (!ok) setPassword('');
  }

  const shownError = localError ?? error;

  return (
    <main className="login">
      <PolicyBanner />
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <div className="brand-name">{ui.app.name}</div>
            <div className="brand-tagline">{ui.app.tagline}</div>
          </div>
        </div>
        <h1 id="login-title">{ui.login.title}</h1>
        <label className="field">
          <span>{ui.login.username}</span>
          <input
            ref={userRef}
            data-testid="login-username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            disabled={busy}
          />
        </label>
        <label className="field">
          <span>{ui.login.password}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={busy}
          />
        </label>
        {shownError && (
          <p className="form-error" role="alert" data-testid="login-error">
            {shownError}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
          {busy ? ui.login.submitting : ui.login.submit}
        </button>
        <p className="login-server">
          <span>{ui.login.server}</span>
          <code data-testid="login-server">{serverUrl ?? ui.login.serverUnknown}</code>
          {onChangeServer && (
            <button type="button" className="btn btn-small btn-ghost" data-testid="login-change-server" onClick={onChangeServer} disabled={busy}>
              {ui.firstRun.change}
            </button>
          )}
        </p>
      </form>
    </main>
  );
}
