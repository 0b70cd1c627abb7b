/**
 * Import of a PUI software export (issue 9): the whole file is checked first
 * (`stocks.importPreview`, every bad line listed with its number and reasons); nothing is
 * imported while errors exist unless the user keeps the valid lines. A PUI imports its own
 * establishment's counts; the national cell any establishment's, as corrections with a reason.
 */
import { useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import type { StockImportPreview } from '../../../common/domain/stocks/ioApi';
import { call } from '../app/call';
import { toBase64 } from '../beds/Dialogs';
import { useStocks } from './store';

export function ImportPanel({ national }: { national: boolean }) {
  const t = ui.stocksIo.import;
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<StockImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [comment, setComment] = useState('');
  const load = useStocks((s) => s.load);

  async function choose(f: File) {
    setBusy(true);
    setPreview(null);
    setError(null);
    setDone(null);
    const base64 = toBase64(new Uint8Array(await f.arrayBuffer()));
    setFile({ name: f.name, base64 });
    const reply = await call('stocks.importPreview', { fileName: f.name, contentBase64: base64 });
    setBusy(false);
    if (reply.ok) setPreview(reply.data);
    else setError(reply.error.message);
  }

  async function commit(validOnly: boolean) {
    if (!file) return;
    setBusy(true);
    const reply = await call('stocks.importCommit', { fileName: file.name, contentBase64: file.base64, validOnly, comment });
    setBusy(false);
    if (reply.ok) {
      setDone(t.done(reply.data.imported, reply.data.skipped));
      setPreview(null);
      setFile(null);
      void load();
    } else setError(reply.error.message);
  }

  const hasErrors = (preview?.errors.length ?? 0) > 0 || (preview?.fileErrors.length ?? 0) > 0;
  return (
    <div className="stock-import" data-testid="stocks-import">
      <label className="field">
        <span>{t.choose}</span>
        <input
          type="file"
          accept=".csv,.txt,text/csv"
          data-testid="stocks-import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void choose(f);
            e.target.value = '';
          }}
        />
      </label>
      {busy && <p className="muted">{t.reading}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="form-ok" role="status" data-testid="stocks-import-done">
          {done}
        </p>
      )}
      {preview && (
        <div className="import-preview" data-testid="stocks-import-preview">
          <p>{t.summary(preview.dataLines, preview.encoding.toUpperCase(), preview.separator)}</p>
          <p>
            <span className="badge badge-ok" data-testid="stocks-import-valid">
              {t.valid(preview.valid, preview.reports, preview.establishments)}
            </span>{' '}
            {preview.errors.length > 0 && <span className="badge badge-urgent">{t.errors(preview.errors.length)}</span>}
          </p>
          {preview.fileErrors.map((m) => (
            <p key={m} className="form-error">
              {m}
            </p>
          ))}
          {preview.errors.length > 0 && (
            <>
              <p className="form-error">{t.blocked}</p>
              <h3 className="small">{t.errorsTitle}</h3>
              <ul className="plain import-issues" data-testid="stocks-import-errors">
                {preview.errors.map((e) => (
                  <li key={e.line}>
                    <strong>{t.line(e.line)}</strong> — {e.reasons.join(' ')}
                  </li>
                ))}
              </ul>
            </>
          )}
          {preview.warnings.length > 0 && (
            <>
              <h3 className="small">{t.warningsTitle}</h3>
              <ul className="plain import-issues warn">
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </>
          )}
          {national && (
            <label className="field">
              <span>{t.comment}</span>
              <input type="text" value={comment} maxLength={200} onChange={(e) => setComment(e.target.value)} data-testid="stocks-import-comment" />
            </label>
          )}
          <div className="form-actions">
            {hasErrors ? (
              preview.valid > 0 && (
                <button type="button" className="btn" disabled={busy} onClick={() => void commit(true)} data-testid="stocks-import-keep-valid">
                  {t.commitValid}
                </button>
              )
            ) : (
              <button type="button" className="btn btn-primary" disabled={busy || preview.valid === 0} onClick={() => void commit(false)} data-testid="stocks-import-commit">
                {t.commit}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
