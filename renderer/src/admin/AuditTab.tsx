/** The audit trail for national administrators: filters by dates, user and kind, pages of 100, CSV/XLSX export. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { AUDIT_KINDS, type AuditKind, type AuditPage } from '../../../common/admin/api';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { downloadBytes } from '../app/download';

const PAGE = 100;

interface Filters {
  from: string;
  to: string;
  user: string;
  kind: AuditKind | '';
}

/** A day typed in the form (`2026-11-30`, local time) as the query's bounds: `to` includes its whole day. */
function query(f: Filters) {
  const day = (d: string, plus: number) => {
    const [y, m, dd] = d.split('-').map(Number);
    return new Date(y, m - 1, dd + plus).toISOString();
  };
  return {
    ...(f.from ? { from: day(f.from, 0) } : {}),
    ...(f.to ? { to: day(f.to, 1) } : {}),
    ...(f.user.trim() ? { user: f.user.trim() } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
  };
}

const time = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' });

export function AuditTab() {
  const t = ui.admin.audit;
  const [draft, setDraft] = useState<Filters>({ from: '', to: '', user: '', kind: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const reply = await call('audit.page', { ...query(filters), offset, limit: PAGE });
    if (reply.ok) {
      setPage(reply.data);
      setError(null);
    } else setError(reply.error.message);
  }, [filters, offset]);
  useEffect(() => {
    void load();
  }, [load]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setOffset(0);
    setFilters(draft);
  }

  async function exportAs(format: 'csv' | 'xlsx') {
    const reply = await call('audit.export', { ...query(filters), format });
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    downloadBytes(reply.data.fileName, reply.data.mimeType, reply.data.contentBase64);
    setNotice(t.exported(reply.data.fileName, reply.data.rows));
  }

  const total = page?.total ?? 0;
  return (
    <div className="admin-audit">
      <form className="admin-filters" onSubmit={apply} aria-label={t.apply}>
        <label className="field admin-field">
          <span>{t.from}</span>
          <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} data-testid="audit-from" />
        </label>
        <label className="field admin-field">
          <span>{t.to}</span>
          <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} data-testid="audit-to" />
        </label>
        <label className="field admin-field admin-field-wide">
          <span>{t.user}</span>
          <input value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} data-testid="audit-user" />
        </label>
        <label className="field admin-field">
          <span>{t.kind}</span>
          <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Filters['kind'] })} data-testid="audit-kind">
            <option value="">{t.allKinds}</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {fr.admin.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" data-testid="audit-apply">
          {t.apply}
        </button>
        <span className="admin-spacer" />
        <button type="button" className="btn btn-small" onClick={() => void exportAs('csv')} data-testid="audit-export-csv">
          {t.exportCsv}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void exportAs('xlsx')} data-testid="audit-export-xlsx">
          {t.exportXlsx}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert" data-testid="audit-error">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="small" role="status" data-testid="audit-notice">
          {notice}
        </p>
      )}
      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="audit-rows">
          <caption className="sr-only">{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.seq}</th>
              <th scope="col">{t.at}</th>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.actor}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.subject}</th>
              <th scope="col">{t.detail}</th>
            </tr>
          </thead>
          <tbody>
            {page?.rows.map((r) => (
              <tr key={r.seq} data-testid="audit-row" data-kind={r.kind}>
                <td className="num">{r.seq}</td>
                <td className="nowrap">{time.format(new Date(r.at))}</td>
                <td>{fr.admin.kinds[r.kind] ?? r.kind}</td>
                <td>{r.actorName}</td>
                <td>{r.actorRole}</td>
                <td className="admin-mono">{r.subject ?? ''}</td>
                <td className="admin-mono admin-detail">{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="admin-pager">
        <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="audit-previous">
          {t.previous}
        </button>
        <span className="small muted" data-testid="audit-range">
          {t.page(total === 0 ? 0 : offset + 1, Math.min(offset + PAGE, total), total)}
        </span>
        <button type="button" className="btn btn-small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="audit-next">
          {t.next}
        </button>
      </div>
    </div>
  );
}
