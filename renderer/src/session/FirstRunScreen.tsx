/**
 * First run on a new workstation: the server's address, a connection test that says what
 * is wrong in words a person can act on (name unknown, nothing listening, certificate,
 * proxy, not a Vigie server), then the login. Main tests the address again before keeping
 * it, so a wrong one is never saved. Not shown when the policy or the command line sets
 * the address.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ProbeResult } from '../../../common/app/setup';
import { ui } from '../../../common/i18n/ui.fr';
import { api } from '../api';
import { PolicyBanner } from '../policy/Banner';
import { LoginBrand } from './LoginBrand';

export function FirstRunScreen({ initial, onChosen }: { initial: string; onChosen: (serverUrl: string) => void }) {
  const [address, setAddress] = useState(initial);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [result, setResult] = useState<ProbeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  async function test() {
    if (!address.trim()) {
      setError(ui.firstRun.required);
      return;
    }
    setBusy('test');
    setError(null);
    const reply = await api.call('setup.test', { url: address });
    setBusy(null);
    if (reply.ok) setResult(reply.data);
    else setError(reply.error.message);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!address.trim()) {
      setError(ui.firstRun.required);
      return;
    }
    setBusy('save');
    setError(null);
    const reply = await api.call('setup.setServer', { url: address });
    setBusy(null);
    if (!reply.ok) {
      setResult(null);
      setError(reply.error.message);
      return;
    }
    if (reply.data.serverUrl) onChosen(reply.data.serverUrl);
  }

  return (
    <main className="login first-run">
      <PolicyBanner />
      <form className="login-card" onSubmit={save} aria-labelledby="first-run-title" noValidate>
        <LoginBrand />
        <h1 id="first-run-title">{ui.firstRun.title}</h1>
        <p className="muted">{ui.firstRun.intro}</p>
        <label className="field">
          <span>{ui.firstRun.address}</span>
          <input
            ref={inputRef}
            data-testid="first-run-address"
            inputMode="url"
            autoComplete="url"
            placeholder={ui.firstRun.placeholder}
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              setResult(null);
            }}
            disabled={busy !== null}
          />
        </label>
        <button type="button" className="btn btn-block" data-testid="first-run-test" onClick={() => void test()} disabled={busy !== null}>
          {busy === 'test' ? ui.firstRun.testing : ui.firstRun.test}
        </button>
        {result && (
          <p className={`probe-result ${result.ok ? 'probe-ok' : 'probe-failed'}`} role={result.ok ? 'status' : 'alert'} data-testid="first-run-result" data-cause={result.cause}>
            {result.message}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="first-run-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" data-testid="first-run-next" disabled={busy !== null}>
          {busy === 'save' ? ui.firstRun.saving : ui.firstRun.next}
        </button>
      </form>
    </main>
  );
}
