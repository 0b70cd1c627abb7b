import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { useBeds } from './store';
import { FreshnessSettingsSchema } from '../../../common/domain/beds/api';
import type { ImportPreview } from '../../../common/domain/beds/views';
import { LockedNote, useLocked } from '../policy/Locked';

/** The file's bytes as base64, the way `beds.importPreview` takes them (the encoding is detected in main). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

/** A modal dialog: focus on its first field or button, Échap closes it. */
export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="modal-backdrop">
      <div className="modal beds-modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/**
 * Import of a ROR extract: the whole file is checked first (`beds.importPreview`); nothing
 * is imported while errors exist unless the user picks the valid lines; jumps need a tick.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmJumps, setConfirmJumps] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function choose(f: File) {
    setBusy(true);
    setError(null);
    setPreview(null);
    setDone(null);
    const base64 = toBase64(new Uint8Array(await f.arrayBuffer()));
    setFile({ name: f.name, base64 });
    const reply = await call('beds.importPreview', { fileName: f.name, contentBase64: base64 });
    setBusy(false);
    if (reply.ok) setPreview(reply.data);
    else setError(reply.error.message);
  }

  async function commit(validOnly: boolean) {
    if (!file) return;
    setBusy(true);
    const reply = await call('beds.importCommit', { fileName: file.name, contentBase64: file.base64, validOnly, confirmJumps });
    setBusy(false);
    if (reply.ok) setDone(ui.beds.import.done(reply.data.imported, reply.data.skipped));
    else setError(reply.error.message);
  }

  const hasErrors = (preview?.errors.length ?? 0) > 0;
  const needsJumpTick = (preview?.jumps ?? 0) > 0 && !confirmJumps;

  return (
    <Modal title={ui.beds.import.title} onClose={onClose} testId="import-dialog">
      <label className="field">
        <span>{ui.beds.import.choose}</span>
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void choose(f);
          }}
        />
      </label>
      {busy && <p className="muted">{ui.beds.import.reading}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div className="import-preview" data-testid="import-preview">
          <p>{ui.beds.import.summary(preview.lines, preview.encoding.toUpperCase(), preview.separator)}</p>
          <p>
            <span className="badge badge-ok">{ui.beds.import.valid(preview.valid.length)}</span>{' '}
            {hasErrors && <span className="badge badge-urgent">{ui.beds.import.errors(preview.errors.length)}</span>}{' '}
            {preview.warnings.length > 0 && <span className="badge badge-prio-important">{ui.beds.import.warnings(preview.warnings.length)}</span>}
          </p>
          {hasErrors && (
            <>
              <p className="form-error">{ui.beds.import.blocked}</p>
              <ul className="plain import-issues" data-testid="import-errors">
                {preview.errors.map((e) => (
                  <li key={`e${e.line}-${e.reason}`}>
                    <strong>{ui.beds.import.line(e.line)}</strong> — {e.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {preview.warnings.length > 0 && (
            <>
              <ul className="plain import-issues warn" data-testid="import-warnings">
                {preview.warnings.map((w) => (
                  <li key={`w${w.line}-${w.reason}`}>
                    <strong>{ui.beds.import.line(w.line)}</strong> — {w.reason}
                  </li>
                ))}
              </ul>
              {preview.jumps > 0 && (
                <label className="check">
                  <input type="checkbox" checked={confirmJumps} onChange={(e) => setConfirmJumps(e.target.checked)} data-testid="import-confirm-jumps" />{' '}
                  {ui.beds.import.confirmJumps}
                </label>
              )}
            </>
          )}
        </div>
      )}
      {done && (
        <p className="form-ok" role="status" data-testid="import-done">
          {done}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          {ui.beds.import.cancel}
        </button>
        {preview && hasErrors && (
          <button type="button" className="btn btn-danger" disabled={busy || needsJumpTick || preview.valid.length === 0 || !!done} onClick={() => void commit(true)} data-testid="import-commit-valid">
            {ui.beds.import.commitValid}
          </button>
        )}
        {preview && !hasErrors && (
          <button type="button" className="btn btn-primary" disabled={busy || needsJumpTick || !!done} onClick={() => void commit(false)} data-testid="import-commit">
            {ui.beds.import.commit}
          </button>
        )}
      </div>
    </Modal>
  );
}

/** Stale delay and the few-free-beds threshold (per unit). */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useBeds((s) => s.settings);
  const save = useBeds((s) => s.saveSettings);
  const [hours, setHours] = useState(String(settings.staleAfterHours));
  const [few, setFew] = useState(String(settings.thresholds.fewFree));
  const [error, setError] = useState<string | null>(null);
  // A field the administrator policy locks is shown, disabled, at the policy's value.
  const staleLocked = useLocked('beds', 'staleAfterHours');
  const fewLocked = useLocked('beds', 'fewFree');

  async function submit() {
    const candidate = { staleAfterHours: Number(hours), thresholds: { fewFree: Number(few) } };
    if (!FreshnessSettingsSchema.safeParse(candidate).success || [hours, few].some((v) => v.trim() === '')) {
      setError(ui.beds.settings.invalid);
      return;
    }
    const err = await save(candidate);
    if (err) setError(err);
    else onClose();
  }

  return (
    <Modal title={ui.beds.settings.title} onClose={onClose} testId="beds-settings">
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>{ui.beds.settings.staleAfter}</span>
          <input value={hours} onChange={(e) => setHours(e.target.value)} inputMode="numeric" data-testid="settings-stale-hours" disabled={staleLocked} aria-describedby="settings-stale-locked" />
          <LockedNote section="beds" field="staleAfterHours" id="settings-stale-locked" />
        </label>
        <label className="field">
          <span>{ui.beds.settings.fewFree}</span>
          <input value={few} onChange={(e) => setFew(e.target.value)} inputMode="numeric" data-testid="settings-few-free" aria-describedby="settings-few-hint" disabled={fewLocked} />
          <LockedNote section="beds" field="fewFree" />
        </label>
        <p id="settings-few-hint" className="muted small">
          {ui.beds.settings.fewFreeHint}
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            {ui.beds.settings.cancel}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="settings-save">
            {ui.beds.settings.save}
          </button>
        </div>
      </form>
    </Modal>
  );
}
