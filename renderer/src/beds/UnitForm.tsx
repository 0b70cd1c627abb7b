import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useBeds } from './store';
import { Age } from './Freshness';
import { jumpsOf, OPTIONAL_FIELDS, parseRow, REQUIRED_FIELDS, shownValue, type DraftField, type Jump, type RowEdits } from './draft';
import { JUMP_CONFIRM_THRESHOLD } from '../../../common/domain/beds/model';
import { isStale } from '../../../common/domain/beds/totals';
import { UNIT_TYPES, unitType } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';
import type { CallArgs } from '../../../common/api';

interface PendingConfirm {
  sends: Array<CallArgs<'beds.report'>>;
  jumps: Array<{ unitType: string; jump: Jump }>;
}

const typeIndex = new Map(UNIT_TYPES.map((t, i) => [t.code, i]));

/**
 * The establishment's quick form: one line per unit, prefilled with the current figures, in
 * Tab order installed → staffed → available; Entrée (or the button) sends every line, so
 * figures confirmed unchanged are dated now too. Plausibility is checked as one types; a
 * jump of more than 4 beds asks for a confirmation before anything is sent.
 */
export function UnitForm({ finess }: { finess: string }) {
  const units = useBeds((s) => s.units);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const report = useBeds((s) => s.report);
  const mine = useMemo(() => units.filter((u) => u.finess === finess), [units, finess]);
  const [added, setAdded] = useState<string[]>([]);
  const [edits, setEdits] = useState<Record<string, RowEdits>>({});
  // One switch for the optional figures of every line: a routine update tabs through three figures a line.
  const [details, setDetails] = useState(false);
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [sendErrors, setSendErrors] = useState<string[]>([]);
  const [showErrors, setShowErrors] = useState(false);
  const firstInput = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const types = useMemo(() => {
    const set = new Set([...mine.map((u) => u.unitType), ...added]);
    return [...set].sort((a, b) => (typeIndex.get(a) ?? 99) - (typeIndex.get(b) ?? 99));
  }, [mine, added]);
  const byType = useMemo(() => new Map(mine.map((u) => [u.unitType, u])), [mine]);
  const parsed = useMemo(() => new Map(types.map((t) => [t, parseRow(finess, t, byType.get(t), edits[t])])), [types, finess, byType, edits]);
  const anyErrors = [...parsed.values()].some((p) => p.errors.length > 0);

  // Once the first units are there, the cursor waits in the first figure.
  const hasRows = types.length > 0;
  useEffect(() => {
    firstInput.current?.focus();
    firstInput.current?.select();
  }, [hasRows]);

  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);

  const edit = (t: string, f: DraftField, v: string) => {
    setStatus(null);
    setEdits((e) => ({ ...e, [t]: { ...e[t], [f]: v } }));
  };

  async function send(sends: Array<CallArgs<'beds.report'>>, confirmJump: boolean) {
    setBusy(true);
    const errors: string[] = [];
    let ok = 0;
    const done: string[] = [];
    for (const args of sends) {
      const err = await report(confirmJump ? { ...args, confirmJump: true } : args);
      if (err) errors.push(`${unitType(args.unitType)?.label ?? args.unitType} : ${err}`);
      else {
        ok += 1;
        done.push(args.unitType);
      }
    }
    setBusy(false);
    setSendErrors(errors);
    setEdits((e) => {
      const next = { ...e };
      for (const t of done) delete next[t];
      return next;
    });
    setAdded((a) => a.filter((t) => !done.includes(t)));
    if (ok) setStatus(ui.beds.form.saved(ok));
  }

  function save() {
    if (busy || !types.length) return;
    if (anyErrors) {
      setShowErrors(true);
      setStatus(ui.beds.form.hasErrors);
      return;
    }
    const sends = types.flatMap((t) => {
      const a = parsed.get(t)?.args;
      return a ? [a] : [];
    });
    const jumps = sends.flatMap((a) => jumpsOf(byType.get(a.unitType), a).map((jump) => ({ unitType: a.unitType, jump })));
    if (jumps.length) {
      setConfirm({ sends, jumps });
      return;
    }
    void send(sends, false);
  }

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      save();
    }
  };

  const input = (t: string, f: DraftField, first: boolean) => {
    const invalid = showErrors || edits[t]?.[f] !== undefined ? (parsed.get(t)?.errors.length ?? 0) > 0 : false;
    return (
      <input
        ref={first ? firstInput : undefined}
        className={`fig-input${f === 'available' ? ' fig-available' : ''}${edits[t]?.[f] !== undefined ? ' edited' : ''}${invalid ? ' invalid' : ''}`}
        data-testid={`unit-form-${t}-${f}`}
        aria-label={`${unitType(t)?.label ?? t} — ${ui.beds.form[f]}`}
        inputMode={f === 'comment' ? 'text' : 'numeric'}
        value={shownValue(byType.get(t), edits[t], f)}
        onChange={(e) => edit(t, f, e.target.value)}
        onKeyDown={onKey}
        onFocus={(e) => e.target.select()}
        maxLength={f === 'comment' ? 500 : 4}
        disabled={busy}
      />
    );
  };

  const missing = UNIT_TYPES.filter((t) => !types.includes(t.code));

  return (
    <section className="unit-form" data-testid="unit-form">
      <header className="unit-form-head">
        <h2>{ui.beds.form.title}</h2>
        <p className="muted">{ui.beds.form.intro}</p>
      </header>
      {types.length === 0 && <p className="muted">{ui.beds.form.noUnits}</p>}
      {types.length > 0 && (
        <table className="form-table">
          <thead>
            <tr>
              <th scope="col">{ui.beds.form.unit}</th>
              <th scope="col" className="num">
                {ui.beds.form.installed}
              </th>
              <th scope="col" className="num">
                {ui.beds.form.staffed}
              </th>
              <th scope="col" className="num">
                {ui.beds.form.available}
              </th>
              <th scope="col">{ui.beds.form.current}</th>
            </tr>
          </thead>
          <tbody>
            {types.map((t, i) => {
              const cur = byType.get(t);
              const p = parsed.get(t);
              const touched = showErrors || edits[t] !== undefined;
              const open = details;
              return [
                <tr key={t} className={`form-row${cur && isStale(cur.at, now, settings.staleAfterHours) ? ' is-stale' : ''}`} data-testid={`unit-form-row-${t}`}>
                  <th scope="row" className="form-unit">
                    {unitType(t)?.label ?? t}
                  </th>
                  {REQUIRED_FIELDS.map((f, j) => (
                    <td key={f} className="num">
                      {input(t, f, i === 0 && j === 0)}
                    </td>
                  ))}
                  <td className="form-current">
                    {cur ? (
                      <>
                        <span className="muted">
                          {cur.installed} / {cur.staffed} / {cur.available}
                        </span>{' '}
                        <Age at={cur.at} stale={isStale(cur.at, now, settings.staleAfterHours)} />
                      </>
                    ) : (
                      <span className="muted">{ui.beds.detail.none}</span>
                    )}
                  </td>
                </tr>,
                open && (
                  <tr key={`${t}-more`} className="form-more">
                    <td />
                    <td colSpan={4}>
                      <div className="form-more-fields">
                        {OPTIONAL_FIELDS.map((f) => (
                          <label key={f} className="field-inline">
                            <span>{ui.beds.form[f]}</span>
                            {input(t, f, false)}
                          </label>
                        ))}
                        <label className="field-inline form-comment">
                          <span>{ui.beds.form.comment}</span>
                          {input(t, 'comment', false)}
                        </label>
                      </div>
                    </td>
                  </tr>
                ),
                touched && p && p.errors.length > 0 && (
                  <tr key={`${t}-err`} className="form-errors-row">
                    <td />
                    <td colSpan={4}>
                      <ul className="plain form-error" role="alert" data-testid={`unit-form-${t}-errors`}>
                        {p.errors.map((e) => (
                          <li key={e}>{e}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
      <div className="form-actions unit-form-actions">
        <button type="button" className="btn btn-primary" data-testid="unit-form-save" onClick={save} disabled={busy || !types.length} title={ui.beds.form.saveAllTitle}>
          {busy ? ui.beds.form.saving : ui.beds.form.saveAll}
          <kbd>{ui.beds.form.saveKey}</kbd>
        </button>
        <label className="check">
          <input type="checkbox" checked={details} onChange={(e) => setDetails(e.target.checked)} data-testid="unit-form-details" /> {ui.beds.form.more}
        </label>
        {missing.length > 0 && (
          <select
            className="add-unit"
            aria-label={ui.beds.form.addUnit}
            data-testid="unit-form-add"
            value=""
            onChange={(e) => e.target.value && setAdded((a) => [...a, e.target.value])}
          >
            <option value="">{ui.beds.form.addUnit}…</option>
            {missing.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </select>
        )}
        {status && (
          <span className={anyErrors ? 'form-error' : 'form-ok'} role="status" data-testid="unit-form-status">
            {status}
          </span>
        )}
      </div>
      {sendErrors.length > 0 && (
        <ul className="plain form-error" role="alert" data-testid="unit-form-send-errors">
          {sendErrors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {confirm && (
        <div className="modal-backdrop">
          <div className="modal jump-modal" role="alertdialog" aria-modal="true" aria-labelledby="jump-title" data-testid="jump-confirm">
            <h2 id="jump-title">{ui.beds.form.jumpTitle}</h2>
            <p>{ui.beds.form.jumpIntro(JUMP_CONFIRM_THRESHOLD)}</p>
            <ul className="jump-list">
              {confirm.jumps.map(({ unitType: t, jump }) => (
                <li key={`${t}-${jump.field}`}>{ui.beds.form.jumpLine(unitType(t)?.label ?? t, ui.beds.form[jump.field], jump.from, jump.to)}</li>
              ))}
            </ul>
            <div className="modal-actions">
              <button type="button" className="btn" onClick={() => setConfirm(null)} data-testid="jump-cancel">
                {ui.beds.form.jumpCancel}
              </button>
              <button
                ref={confirmRef}
                type="button"
                className="btn btn-primary"
                data-testid="jump-confirm-ok"
                onClick={() => {
                  const c = confirm;
                  setConfirm(null);
                  void send(c.sends, true);
                }}
              >
                {ui.beds.form.jumpConfirm}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
