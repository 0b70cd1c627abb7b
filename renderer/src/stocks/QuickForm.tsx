/**
 * The pharmacist's quick entry form: every presentation of the five molecules on one screen,
 * keyboard only (Tab to the next field, Entrée records the report), numbers typed the French
 * way (« 1 234,5 », « 12,0 »). Each field says what is wrong with it; nothing is sent while a
 * field is wrong. Offline, the report waits in the outbox like any other change.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { parseFrenchNumber, StockLineEntry } from '../../../common/domain/stocks/model';
import type { FormPresentation } from '../../../common/domain/stocks/api';
import { useStocks } from './store';

const FIELDS = ['onHand', 'used7d', 'daysOut', 'delivered'] as const;
type Field = (typeof FIELDS)[number];
type Draft = Partial<Record<Field, string>>;

const fmt = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 2 });
const fmtMg = (mg: number) => (mg >= 1000 ? `${fmt(mg / 1000)} g` : `${fmt(mg)} mg`);
const fmtWhen = (iso: string) => new Date(iso).toLocaleString('fr-FR', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });

/** "2020-03-24T14:00" for a datetime-local input, from the workstation's clock. */
function localNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const fieldLabel: Record<Field, string> = {
  onHand: ui.stocks.form.onHand,
  used7d: ui.stocks.form.used7d,
  daysOut: ui.stocks.form.daysOut,
  delivered: ui.stocks.form.delivered,
};

/** Reads the drafts into report lines, or the error of each wrong field (`cip13.field`). */
export function readDrafts(drafts: Readonly<Record<string, Draft>>): { lines: Array<Record<string, unknown>>; errors: Record<string, string> } {
  const lines: Array<Record<string, unknown>> = [];
  const errors: Record<string, string> = {};
  for (const [cip13, d] of Object.entries(drafts)) {
    const filled = FIELDS.filter((f) => (d[f] ?? '').trim() !== '');
    if (filled.length === 0) continue;
    const values: Partial<Record<Field, number | null>> = {};
    for (const f of FIELDS) {
      const v = parseFrenchNumber(d[f] ?? '');
      if (v !== null && Number.isNaN(v)) errors[`${cip13}.${f}`] = ui.stocks.form.notNumber;
      values[f] = v;
    }
    const line = {
      cip13,
      onHand: values.onHand ?? undefined,
      used7d: values.used7d ?? null,
      daysOut: values.daysOut ?? 0,
      delivered: values.delivered ?? 0,
    };
    const parsed = StockLineEntry.safeParse(line);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const f = String(issue.path[0] ?? 'onHand');
        const key = `${cip13}.${(FIELDS as readonly string[]).includes(f) ? f : 'onHand'}`;
        // A number that did not read keeps its own message.
        errors[key] ??= f === 'onHand' && line.onHand === undefined ? `${ui.stocks.form.onHand} : requis.` : issue.message;
      }
    } else lines.push(line);
  }
  return { lines, errors };
}

function Row({ p, draft, errors, onChange }: { p: FormPresentation; draft: Draft; errors: Record<string, string>; onChange: (f: Field, v: string) => void }) {
  return (
    <tr className={p.marketed ? undefined : 'stock-form-stopped'} data-testid={`stock-form-row-${p.cip13}`}>
      <th scope="row">
        <span className="stock-form-label">{p.label}</span>
        <span className="muted small">
          {' '}
          · {ui.stocks.form.mgPerUnit(fmtMg(p.mgPerUnit), p.unitKind)} · CIP {p.cip13}
          {p.marketed ? '' : ` · ${ui.stocks.form.stopped}`}
        </span>
      </th>
      <td className="muted small stock-form-last">{p.current ? ui.stocks.form.last(fmt(p.current.onHand), fmtWhen(p.current.at)) : ui.stocks.form.never}</td>
      {FIELDS.map((f) => {
        const err = errors[`${p.cip13}.${f}`];
        const id = `stock-${p.cip13}-${f}`;
        return (
          <td key={f}>
            <input
              id={id}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              className={err ? 'stock-input invalid' : 'stock-input'}
              value={draft[f] ?? ''}
              aria-label={`${fieldLabel[f]} — ${p.label}`}
              aria-invalid={err ? true : undefined}
              aria-describedby={err ? `${id}-err` : undefined}
              data-testid={id}
              onChange={(e) => onChange(f, e.target.value)}
            />
            {err && (
              <div id={`${id}-err`} className="form-error small" role="alert" data-testid={`${id}-error`}>
                {err}
              </div>
            )}
          </td>
        );
      })}
    </tr>
  );
}

/** `correction`: the national cell correcting an establishment's stock (its comment says why). */
export function QuickForm({ finess, correction = false }: { finess: string; correction?: boolean }) {
  const form = useStocks((s) => s.form);
  const loadForm = useStocks((s) => s.loadForm);
  const report = useStocks((s) => s.report);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [at, setAt] = useState(localNow);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    void loadForm(finess);
  }, [finess, loadForm]);

  const count = useMemo(() => form?.molecules.reduce((n, m) => n + m.presentations.length, 0) ?? 0, [form]);

  const submit = async () => {
    const { lines, errors: found } = readDrafts(drafts);
    setErrors(found);
    const n = Object.keys(found).length;
    if (n > 0) {
      setMessage({ kind: 'error', text: ui.stocks.form.errors(n) });
      const first = Object.keys(found)[0].replace('.', '-');
      formRef.current?.querySelector<HTMLInputElement>(`#stock-${first}`)?.focus();
      return;
    }
    if (lines.length === 0) {
      setMessage({ kind: 'error', text: ui.stocks.form.nothing });
      return;
    }
    const ms = Date.parse(at);
    setBusy(true);
    const refused = await report({
      finess,
      at: Number.isNaN(ms) ? null : new Date(ms).toISOString(),
      comment,
      lines: lines as Parameters<typeof report>[0]['lines'],
    });
    setBusy(false);
    if (refused) {
      setMessage({ kind: 'error', text: refused });
      return;
    }
    setDrafts({});
    setComment('');
    setMessage({ kind: 'ok', text: ui.stocks.form.saved(lines.length) });
  };

  if (!form || form.finess !== finess) return <p className="muted">{ui.stocks.loading}</p>;
  return (
    <form
      ref={formRef}
      className="stock-form"
      data-testid="stock-form"
      aria-label={ui.stocks.form.title(form.establishmentName)}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      <div className="stock-form-head">
        <h2>{correction ? ui.stocks.form.correctionTitle(form.establishmentName) : ui.stocks.form.title(form.establishmentName)}</h2>
        <p className="muted small">{ui.stocks.form.help}</p>
        {correction && <p className="small">{ui.stocks.form.correctionHelp}</p>}
        <label>
          {ui.stocks.form.countedAt}{' '}
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} data-testid="stock-form-at" />
        </label>
        <label>
          {ui.stocks.form.comment}{' '}
          <input type="text" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} data-testid="stock-form-comment" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="stock-form-save">
          {ui.stocks.form.save}
        </button>
        {message && (
          <span className={message.kind === 'ok' ? 'stock-form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="stock-form-message">
            {message.text}
          </span>
        )}
      </div>
      <div className="stock-form-scroll">
        <table className="stock-form-table" data-count={count}>
          <thead>
            <tr>
              <th scope="col">{ui.stocks.form.presentation}</th>
              <th scope="col">{ui.stocks.form.lastCount}</th>
              {FIELDS.map((f) => (
                <th key={f} scope="col">
                  {fieldLabel[f]}
                </th>
              ))}
            </tr>
          </thead>
          {form.molecules.map((m) => (
            <tbody key={m.code}>
              <tr className="stock-form-molecule">
                <th colSpan={6} scope="rowgroup">
                  {m.label} <span className="muted small">({m.class})</span>
                </th>
              </tr>
              {m.presentations.map((p) => (
                <Row
                  key={p.cip13}
                  p={p}
                  draft={drafts[p.cip13] ?? {}}
                  errors={errors}
                  onChange={(f, v) => {
                    setDrafts((d) => ({ ...d, [p.cip13]: { ...d[p.cip13], [f]: v } }));
                    if (errors[`${p.cip13}.${f}`]) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== `${p.cip13}.${f}`)));
                  }}
                />
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </form>
  );
}
