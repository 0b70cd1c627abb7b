import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { PolicyBanner } from '../policy/Banner';
import { LoginBrand } from './LoginBrand';
import { useSession } from '../stores/session';

/**
 * The login: the password, then — when the account has a second factor, or its role requires
 * one it has not enrolled yet — the authenticator app's code (after showing the QR code to
 * enrol), then, once after an enrolment, the recovery codes.
 */
export function LoginScreen({ onChangeServer }: { onChangeServer?: () => void } = {}) {
  const secondFactor = useSession((s) => s.secondFactor);
  const recoveryCodes = useSession((s) => s.recoveryCodes);
  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} />;
  if (secondFactor) return <CodeForm />;
  return <PasswordForm onChangeServer={onChangeServer} />;
}

/** `onChangeServer`: offered when the address was chosen at the first-run screen (never when the policy sets it). */
function Card({ title, onSubmit, onChangeServer, children }: { title: string; onSubmit(e: FormEvent): void; onChangeServer?: () => void; children: ReactNode }) {
  const serverUrl = useSession((s) => s.serverUrl);
  const busy = useSession((s) => s.busy);
  return (
    <main className="login">
      <PolicyBanner />
      <form className="login-card" onSubmit={onSubmit} aria-labelledby="login-title" noValidate>
        <LoginBrand />
        <h1 id="login-title">{title}</h1>
        {children}
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

function ErrorLine({ text }: { text: string | null }) {
  return text ? (
    <p className="form-error" role="alert" data-testid="login-error">
      {text}
    </p>
  ) : null;
}

function PasswordForm({ onChangeServer }: { onChangeServer?: () => void }) {
  const { busy, error, login } = useSession();
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

  return (
    <Card title={ui.login.title} onSubmit={submit} onChangeServer={onChangeServer}>
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
      <ErrorLine text={localError ?? error} />
      <button type="submit" className="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
        {busy ? ui.login.submitting : ui.login.submit}
      </button>
    </Card>
  );
}

function CodeForm() {
  const { busy, error, secondFactor, verifyCode, cancelSecondFactor } = useSession();
  const [code, setCode] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => codeRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!code.trim()) {
      setLocalError(ui.login.codeMissing);
      return;
    }
    setLocalError(null);
    const ok = await verifyCode(code.trim());
    if (!ok) setCode('');
  }

  const enrol = secondFactor?.secondFactor === 'enrol' ? secondFactor : null;
  return (
    <Card title={enrol ? ui.login.enrolTitle : ui.login.codeTitle} onSubmit={submit}>
      {enrol ? (
        <>
          <p className="login-help">{ui.login.enrolHelp}</p>
          <img className="login-qr" data-testid="enrol-qr" src={enrol.qrDataUrl} alt={ui.login.enrolQrAlt} width={220} height={220} />
          <p className="login-help">
            {ui.login.enrolSecret} <code data-testid="enrol-secret">{enrol.secret}</code>
          </p>
        </>
      ) : (
        <p className="login-help">{ui.login.codeHelp}</p>
      )}
      <label className="field">
        <span>{ui.login.code}</span>
        <input
          ref={codeRef}
          data-testid="login-code"
          name="code"
          autoComplete="one-time-code"
          inputMode={enrol ? 'numeric' : 'text'}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          disabled={busy}
        />
      </label>
      <ErrorLine text={localError ?? error} />
      <button type="submit" className="btn btn-primary btn-block" data-testid="login-code-submit" disabled={busy}>
        {busy ? ui.login.verifying : ui.login.verify}
      </button>
      <button type="button" className="btn btn-ghost btn-block" data-testid="login-code-back" onClick={cancelSecondFactor} disabled={busy}>
        {ui.login.back}
      </button>
    </Card>
  );
}

function RecoveryCodes({ codes }: { codes: readonly string[] }) {
  const recoveryCodesNoted = useSession((s) => s.recoveryCodesNoted);
  return (
    <Card
      title={ui.login.recoveryTitle}
      onSubmit={(e) => {
        e.preventDefault();
        void recoveryCodesNoted();
      }}
    >
      <p className="login-help">{ui.login.recoveryHelp}</p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <button type="submit" className="btn btn-primary btn-block" data-testid="recovery-noted">
        {ui.login.recoveryNoted}
      </button>
    </Card>
  );
}
