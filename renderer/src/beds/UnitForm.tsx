import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useBeds } from './store';
import { Age } from './Freshness';
import { addedUnit, isEdited, jumpsOf, OPTIONAL_FIELDS, parseRow, REQUIRED_FIELDS, shownValue, type DraftField, type FormUnit, type Jump, type RowEdits } from './draft';
import { JUMP_CONFIRM_THRESHOLD } from '../../../common/domain/beds/model';
import { isStale } from '../../../common/domain/beds/totals';
import { UNIT_TYPES, unitLabel, unitType } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';
import type { CallArgs } from '../../../common/api';

interface PendingConfirm {
  sends: Array<CallArgs<'beds.report'>>;
  jumps: Array<{ key: string; label: string; jump: Jump }>;
}

/** A line of the form: its key (the unit's id, or `new-N` for a unit being added), the unit, its current figures. */
interface Row {
  key: string;
  unit: FormUnit;
  label: string;
  cur: UnitView | undefined;
  added: boolean;
  /** Why the added unit's identity is refused (a name needed or taken). */
  identityError: string | null;
}

const typeIndex = new Map(UNIT_TYPES.map((t, i) => [t.code, i]));

/**
 * The establishment's quick form: one line per unit, prefilled with the current figures, in
 * Tab order installed → staffed → available. Entrée (or the button) sends the lines whose
 * figures were edited, and those ticked « inchangé » (confirmed unchanged): only they are
 * dated now, the others keep their age, which is what the ARS reads staleness from.
 * Plausibility is checked as one types; a jump of more than 4 beds asks for a deliberate
 * confirmation (a box to tick, never the default key) before anything is sent.
 */
export function UnitForm({ finess }: { finess: string }) {
  const units = useBeds((s) => s.units);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const report = useBeds((s) => s.report);
  const mine = useMemo(() => units.filter((u) => u.finess === finess), [units, finess]);
  const [added, setAdded] = useState<Array<{ key: string; unitType: string }>>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [edits, setEdits] = useState<Record<string, RowEdits>>({});
  const [same, setSame] = useState<Record<string, boolean>>({});
  // One switch for the optional figures of every line: a routine update tabs through three figures a line.
  const [details, setDetails] = useState(false);
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [sendErrors, setSendErrors] = useState<string[]>([]);
  const [showErrors, setShowErrors] = useState(false);
  const firstInput = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const nextAdded = useRef(1);

  const rows = useMemo<Row[]>(() => {
    const existing = [...mine]
      .map((u): Row => ({ key: u.unitId, unit: { unitType: u.unitType, unitId: u.unitId, unitName: u.unitName }, label: unitLabel(u), cur: u, added: false, identityError: null }))
      .sort((a, b) => (typeIndex.get(a.unit.unitType) ?? 99) - (typeIndex.get(b.unit.unitType) ?? 99) || a.label.localeCompare(b.label, 'fr'));
    const taken = new Set(existing.map((r) => r.unit.unitId));
    const fresh = added.map((a): Row => {
      const { unit, error } = addedUnit(a.unitType, names[a.key] ?? '', taken);
      taken.add(unit.unitId);
      return { key: a.key, unit, label: unitLabel(unit), cur: undefined, added: true, identityError: error };
    });
    return [...existing, ...fresh];
  }, [mine, added, names]);
  // The lines Entrée would send: edited, new, or confirmed unchanged.
  const toSend = useMemo(() => rows.filter((r) => r.added || same[r.key] || isEdited(r.cur, edits[r.key])), [rows, same, edits]);
  const parsed = useMemo(() => new Map(rows.map((r) => [r.key, parseRow(finess, r.unit, r.cur, edits[r.key])])), [rows, finess, edits]);
  const errorsOf = (r: Row) => [...(r.identityError ? [r.identityError] : []), ...(parsed.get(r.key)?.errors ?? [])];
  const anyErrors = toSend.some((r) => errorsOf(r).length > 0);

  // Once the first units are there, the cursor waits in the first figure.
  const hasRows = rows.length > 0;
  useEffect(() => {
    firstInput.current?.focus();
    firstInput.current?.select();
  }, [hasRows]);

  // The confirmation opens on « Revenir à la saisie »: a reflex Entrée goes back, never confirms.
  useEffect(() => {
    if (confirm) cancelRef.current?.focus();
  }, [confirm]);

  const edit = (key: string, f: DraftField, v: string) => {
    setStatus(null);
    setEdits((e) => ({ ...e, [key]: { ...e[key], [f]: v } }));
  };

  async function send(sends: Array<CallArgs<'beds.report'>>, confirmJump: boolean) {
    setBusy(true);
    const errors: string[] = [];
    let ok = 0;
    const done = new Set<string>();
    for (const args of sends) {
      const err = await report(confirmJump ? { ...args, confirmJump: true } : args);
      const key = rows.find((r) => r.unit.unitId === args.unitId)?.key ?? String(args.unitId);
      if (err) errors.push(`${unitLabel({ unitType: args.unitType, unitId: args.unitId ?? args.unitType, unitName: args.unitName ?? null })} : ${err}`);
      else {
        ok += 1;
        done.add(key);
      }
    }
    setBusy(false);
    setSendErrors(errors);
    const drop = <T,>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).filter(([k]) => !done.has(k)));
    setEdits(drop);
    setSame(drop);
    setNames(drop);
    setAdded((a) => a.filter((x) => !done.has(x.key)));
    setShowErrors(false);
    if (ok) setStatus(ui.beds.form.saved(ok));
  }

  function save() {
    if (busy || !rows.length) return;
    if (toSend.length === 0) {
      setStatus(ui.beds.form.nothingToSave);
      return;
    }
    if (anyErrors) {
      setShowErrors(true);
      setStatus(ui.beds.form.hasErrors);
      return;
    }
    const sends = toSend.flatMap((r) => {
      const a = parsed.get(r.key)?.args;
      return a ? [a] : [];
    });
    const jumps = toSend.flatMap((r) => {
      const a = parsed.get(r.key)?.args;
      return a ? jumpsOf(r.cur, a).map((jump) => ({ key: r.key, label: r.label, jump })) : [];
    });
    if (jumps.length) {
      setChecked(false);
      setConfirm({ sends, jumps });
      return;
    }
    void send(sends, false);
  }

  function backToEntry() {
    const first = confirm?.jumps[0];
    setConfirm(null);
    // Back to the first figure that jumped, selected, to retype it.
    if (first) setTimeout(() => document.querySelector<HTMLInputElement>(`[data-testid="unit-form-${first.key}-${first.jump.field}"]`)?.select(), 0);
  }

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      save();
    }
  };

  const input = (r: Row, f: DraftField, first: boolean) => {
    const k = r.key;
    const invalid = showErrors || edits[k]?.[f] !== undefined ? (parsed.get(k)?.errors.length ?? 0) > 0 : false;
    return (
      <input
        ref={first ? firstInput : undefined}
        className={`fig-input${f === 'available' ? ' fig-available' : ''}${edits[k]?.[f] !== undefined ? ' edited' : ''}${invalid ? ' invalid' : ''}`}
        data-testid={`unit-form-${k}-${f}`}
        aria-label={`${r.label} — ${ui.beds.form[f]}`}
        inputMode={f === 'comment' ? 'text' : 'numeric'}
        value={shownValue(r.cur, edits[k], f)}
        onChange={(e) => edit(k, f, e.target.value)}
        onKeyDown={onKey}
        onFocus={(e) => e.target.select()}
        maxLength={f === 'comment' ? 500 : 4}
        disabled={busy}
      />
    );
  };

  return (
    <section className="unit-form" data-testid="unit-form">
      <header className="unit-form-head">
        <h2>{ui.beds.form.title}</h2>
        <p className="muted">{ui.beds.form.intro}</p>
      </header>
      {rows.length === 0 && <p className="muted">{ui.beds.form.noUnits}</p>}
      {rows.length > 0 && (
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
            {rows.map((r, i) => {
              const k = r.key;
              const cur = r.cur;
              const errors = errorsOf(r);
              const touched = showErrors || edits[k] !== undefined || names[k] !== undefined;
              const edited = isEdited(cur, edits[k]);
              return [
                <tr key={k} className={`form-row${cur && isStale(cur.at, now, settings.staleAfterHours) ? ' is-stale' : ''}`} data-testid={`unit-form-row-${k}`}>
                  <th scope="row" className="form-unit">
                    {r.added ? (
                      <div className="form-added">
                        <span>{unitType(r.unit.unitType)?.label ?? r.unit.unitType}</span>
                        <input
                          className="form-unit-name"
                          data-testid={`unit-form-${k}-name`}
                          aria-label={`${unitType(r.unit.unitType)?.label ?? r.unit.unitType} — ${ui.beds.form.unitName}`}
                          placeholder={ui.beds.form.unitNamePlaceholder}
                          value={names[k] ?? ''}
                          maxLength={80}
                          onChange={(e) => setNames((n) => ({ ...n, [k]: e.target.value }))}
                          onKeyDown={onKey}
                          disabled={busy}
                        />
                        <button
                          type="button"
                          className="btn btn-small btn-ghost"
                          title={ui.beds.form.removeAddedTitle}
                          onClick={() => setAdded((a) => a.filter((x) => x.key !== k))}
                          data-testid={`unit-form-${k}-remove`}
                        >
                          {ui.beds.form.removeAdded}
                        </button>
                      </div>
                    ) : (
                      r.label
                    )}
                  </th>
                  {REQUIRED_FIELDS.map((f, j) => (
                    <td key={f} className="num">
                      {input(r, f, i === 0 && j === 0)}
                    </td>
                  ))}
                  <td className="form-current">
                    {cur ? (
                      <>
                        <span className="muted">
                          {cur.installed} / {cur.staffed} / {cur.available}
                        </span>{' '}
                        <Age at={cur.at} stale={isStale(cur.at, now, settings.staleAfterHours)} />
                        {!edited && (
                          <label className="check form-same" title={ui.beds.form.sameTitle(r.label)}>
                            <input
                              type="checkbox"
                              checked={same[k] ?? false}
                              onChange={(e) => {
                                setStatus(null);
                                setSame((m) => ({ ...m, [k]: e.target.checked }));
                              }}
                              data-testid={`unit-form-${k}-same`}
                              aria-label={ui.beds.form.sameTitle(r.label)}
                              disabled={busy}
                            />{' '}
                            {ui.beds.form.same}
                          </label>
                        )}
                      </>
                    ) : (
                      <span className="muted">{ui.beds.detail.none}</span>
                    )}
                  </td>
                </tr>,
                details && (
                  <tr key={`${k}-more`} className="form-more">
                    <td />
                    <td colSpan={4}>
                      <div className="form-more-fields">
                        {OPTIONAL_FIELDS.map((f) => (
                          <label key={f} className="field-inline">
                            <span>{ui.beds.form[f]}</span>
                            {input(r, f, false)}
                          </label>
                        ))}
                        <label className="field-inline form-comment">
                          <span>{ui.beds.form.comment}</span>
                          {input(r, 'comment', false)}
                        </label>
                      </div>
                    </td>
                  </tr>
                ),
                touched && errors.length > 0 && (
                  <tr key={`${k}-err`} className="form-errors-row">
                    <td />
                    <td colSpan={4}>
                      <ul className="plain form-error" role="alert" data-testid={`unit-form-${k}-errors`}>
                        {errors.map((e) => (
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
        <button type="button" className="btn btn-primary" data-testid="unit-form-save" onClick={save} disabled={busy || !rows.length} title={ui.beds.form.saveAllTitle}>
          {busy ? ui.beds.form.saving : ui.beds.form.saveAll}
          <kbd>{ui.beds.form.saveKey}</kbd>
        </button>
        <label className="check">
          <input type="checkbox" checked={details} onChange={(e) => setDetails(e.target.checked)} data-testid="unit-form-details" /> {ui.beds.form.more}
        </label>
        <select
          className="add-unit"
          aria-label={ui.beds.form.addUnit}
          data-testid="unit-form-add"
          value=""
          onChange={(e) => {
            const t = e.target.value;
            if (!t) return;
            const key = `new-${nextAdded.current++}`;
            setAdded((a) => [...a, { key, unitType: t }]);
          }}
        >
          <option value="">{ui.beds.form.addUnit}…</option>
          {UNIT_TYPES.map((t) => (
            <option key={t.code} value={t.code}>
              {t.label}
            </option>
          ))}
        </select>
        {status && (
          <span className={anyErrors || toSend.length === 0 ? 'form-error' : 'form-ok'} role="status" data-testid="unit-form-status">
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
          <div
            className="modal jump-modal"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="jump-title"
            aria-describedby="jump-hint"
            data-testid="jump-confirm"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                backToEntry();
              }
            }}
          >
            <h2 id="jump-title">{ui.beds.form.jumpTitle}</h2>
            <p>{ui.beds.form.jumpIntro(JUMP_CONFIRM_THRESHOLD)}</p>
            <ul className="jump-list">
              {confirm.jumps.map(({ key, label, jump }) => (
                <li key={`${key}-${jump.field}`}>{ui.beds.form.jumpLine(label, ui.beds.form[jump.field], jump.from, jump.to)}</li>
              ))}
            </ul>
            <label className="check jump-check">
              <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="jump-confirm-check" /> {ui.beds.form.jumpCheck}
            </label>
            <p id="jump-hint" className="muted small">
              {ui.beds.form.jumpCheckHint}
            </p>
            <div className="modal-actions">
              <button ref={cancelRef} type="button" className="btn" onClick={backToEntry} data-testid="jump-cancel">
                {ui.beds.form.jumpCancel}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                data-testid="jump-confirm-ok"
                disabled={!checked}
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
