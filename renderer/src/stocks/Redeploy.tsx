/**
 * « Redéploiements »: for an ARS (and the national cell, per région), the moves suggested by
 * `suggestRedeployment` for a molecule and the presentation to move, with the thresholds;
 * each with from/to, units, distance and the cover before → after of both sides. The ARS ticks
 * moves and validates them; below, the région's moves with their state and who did each step.
 * The establishments' own moves, with their next action, are `RedeployMoves`.
 */
import { useEffect, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import type { RedeploymentItem } from '../../../common/domain/stocks/redeployApi';
import { MOLECULES, type MoleculeCode } from '../../../common/domain/stocks/products';
import { moveKey, useRedeploy } from './redeployStore';
import './redeploy.css';

const fmtWhen = (iso: string) => new Date(iso).toLocaleString('fr-FR', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
const days = (d: number) => d.toLocaleString('fr-FR', { maximumFractionDigits: 1 });

function StepButtons({ item, testPrefix }: { item: RedeploymentItem; testPrefix: string }) {
  const step = useRedeploy((s) => s.step);
  return (
    <>
      {item.next.map((n) => (
        <button key={n} type="button" className={n === 'cancel' ? 'btn btn-small' : 'btn btn-small btn-primary'} onClick={() => void step(item.id, n)} data-testid={`${testPrefix}-${n}-${item.id}`}>
          {ui.redeploy.step[n]}
        </button>
      ))}
    </>
  );
}

/** The latest step of a move, as « who, when ». */
function lastStep(r: RedeploymentItem): string {
  const s = r.cancelled ?? r.received ?? r.shipped ?? r.proposed;
  return ui.redeploy.by(s.by, fmtWhen(s.at));
}

export function Tracking({ moves }: { moves: RedeploymentItem[] }) {
  return (
    <section className="redeploy-tracking" aria-label={ui.redeploy.tracking}>
      <h2>{ui.redeploy.tracking}</h2>
      {moves.length === 0 ? (
        <p className="muted">{ui.redeploy.trackingNone}</p>
      ) : (
        <table className="redeploy-table" data-testid="redeploy-tracking">
          <thead>
            <tr>
              <th>{ui.redeploy.col.from}</th>
              <th>{ui.redeploy.col.to}</th>
              <th>{ui.redeploy.presentation}</th>
              <th className="num">{ui.redeploy.col.units}</th>
              <th>{ui.redeploy.col.state}</th>
              <th>{ui.redeploy.col.proposed}</th>
              <th>{ui.redeploy.col.step}</th>
            </tr>
          </thead>
          <tbody>
            {moves.map((r) => (
              <tr key={r.id} data-testid={`redeploy-move-${r.id}`} data-state={r.state} className={r.pending ? 'redeploy-pending' : undefined}>
                <td>{r.fromName}</td>
                <td>{r.toName}</td>
                <td className="small">{r.presentationLabel}</td>
                <td className="num">{r.units.toLocaleString('fr-FR')}</td>
                <td>
                  <span className={`redeploy-state redeploy-state-${r.state}`}>{ui.redeploy.state[r.state]}</span>
                  {r.pending && <span className="muted small"> · {ui.redeploy.pending}</span>}
                </td>
                <td className="small">{lastStep(r)}</td>
                <td>
                  <StepButtons item={r} testPrefix="redeploy-step" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Redeploy() {
  const view = useRedeploy((s) => s.view);
  const load = useRedeploy((s) => s.load);
  const choose = useRedeploy((s) => s.choose);
  const picked = useRedeploy((s) => s.picked);
  const toggle = useRedeploy((s) => s.toggle);
  const validate = useRedeploy((s) => s.validate);
  const error = useRedeploy((s) => s.error);
  const message = useRedeploy((s) => s.message);
  const [surplus, setSurplus] = useState('');
  const [alert, setAlert] = useState('');

  useEffect(() => {
    void load();
  }, [load]);
  // The fields show the thresholds the view was computed with, whenever they change.
  const shownSurplus = view?.surplusDays;
  const shownAlert = view?.alertDays;
  useEffect(() => {
    if (shownSurplus !== undefined) setSurplus(days(shownSurplus));
    if (shownAlert !== undefined) setAlert(days(shownAlert));
  }, [shownSurplus, shownAlert]);

  if (!view) return <p className="muted">…</p>;
  const s = view.suggestion;
  const ticked = s ? s.moves.filter((m) => picked.has(moveKey(m))).length : 0;
  return (
    <div className="redeploy" data-testid="redeploy">
      <form
        className="redeploy-choices"
        onSubmit={(e) => {
          e.preventDefault();
          choose({ surplusDays: Number(surplus.replace(',', '.')), alertDays: Number(alert.replace(',', '.')) });
        }}
      >
        {view.regions.length > 1 && (
          <label>
            {ui.redeploy.region}{' '}
            <select value={view.region ?? ''} onChange={(e) => choose({ region: e.target.value, cip13: undefined })} data-testid="redeploy-region">
              {view.regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {ui.redeploy.molecule}{' '}
          <select value={view.molecule} onChange={(e) => choose({ molecule: e.target.value as MoleculeCode, cip13: undefined })} data-testid="redeploy-molecule">
            {MOLECULES.map((m) => (
              <option key={m.code} value={m.code}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ui.redeploy.presentation}{' '}
          <select value={view.cip13 ?? ''} onChange={(e) => choose({ cip13: e.target.value })} data-testid="redeploy-presentation">
            {view.presentations.map((p) => (
              <option key={p.cip13} value={p.cip13}>
                {ui.redeploy.presentationCount(p.label, p.establishments)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ui.redeploy.surplus} <input type="text" inputMode="decimal" size={3} value={surplus} onChange={(e) => setSurplus(e.target.value)} data-testid="redeploy-surplus" />
        </label>
        <label>
          {ui.redeploy.alert} <input type="text" inputMode="decimal" size={3} value={alert} onChange={(e) => setAlert(e.target.value)} data-testid="redeploy-alert" />
        </label>
        <button type="submit" className="btn btn-small">
          {ui.stocks.settingsSave}
        </button>
      </form>
      <p className="muted small">{ui.redeploy.rule(days(view.surplusDays), days(view.alertDays))}</p>
      {error && (
        <p className="form-error" role="alert" data-testid="redeploy-error">
          {error}
        </p>
      )}
      {message && (
        <p className="form-ok" role="status" data-testid="redeploy-message">
          {ui.redeploy.validated(Number(message))}
        </p>
      )}
      <section aria-label={ui.redeploy.suggestion}>
        <h2>{ui.redeploy.suggestion}</h2>
        {!s ? (
          <p className="muted">{ui.redeploy.noPresentation}</p>
        ) : s.moves.length === 0 ? (
          <p className="muted" data-testid="redeploy-none">
            {ui.redeploy.none}
          </p>
        ) : (
          <>
            <p className="small" data-testid="redeploy-totals">
              {ui.redeploy.totals(s.moves.length, s.totals.movedUnits, s.totals.totalKm)}
            </p>
            <table className="redeploy-table" data-testid="redeploy-suggestion">
              <thead>
                <tr>
                  {view.canPropose && <th>{ui.redeploy.col.pick}</th>}
                  <th>{ui.redeploy.col.from}</th>
                  <th>{ui.redeploy.col.to}</th>
                  <th className="num">{ui.redeploy.col.units}</th>
                  <th className="num">{ui.redeploy.col.distance}</th>
                  <th>{ui.redeploy.col.giverCover}</th>
                  <th>{ui.redeploy.col.receiverCover}</th>
                </tr>
              </thead>
              <tbody>
                {s.moves.map((m) => (
                  <tr key={moveKey(m)} data-testid={`redeploy-suggested-${m.from}-${m.to}`}>
                    {view.canPropose && (
                      <td>
                        <input type="checkbox" disabled={m.problem !== null} checked={picked.has(moveKey(m))} onChange={() => toggle(moveKey(m))} aria-label={`${m.fromName} → ${m.toName}`} data-testid={`redeploy-pick-${m.from}-${m.to}`} />
                      </td>
                    )}
                    <td>{m.fromName}</td>
                    <td>
                      {m.toName}
                      {m.problem && (
                        <div className="form-error small" data-testid={`redeploy-problem-${m.from}-${m.to}`}>
                          {m.problem}
                        </div>
                      )}
                    </td>
                    <td className="num">{m.units.toLocaleString('fr-FR')}</td>
                    <td className="num">{ui.redeploy.km(m.distanceKm)}</td>
                    <td>{ui.redeploy.coverChange(m.fromCoverBefore, m.fromCoverAfter)}</td>
                    <td>{ui.redeploy.coverChange(m.toCoverBefore, m.toCoverAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {view.canPropose ? (
              <button type="button" className="btn btn-primary" disabled={ticked === 0} onClick={() => void validate()} data-testid="redeploy-validate">
                {ui.redeploy.validate(ticked)}
              </button>
            ) : (
              <p className="muted small">{ui.redeploy.readOnly}</p>
            )}
          </>
        )}
        {s && s.unmet.length > 0 && (
          <ul className="small redeploy-unmet">
            {s.unmet.map((u) => (
              <li key={u.finess}>{ui.redeploy.unmet(u.name, u.missing)}</li>
            ))}
          </ul>
        )}
        {s && s.unknown.length > 0 && <p className="muted small">{ui.redeploy.unknown(s.unknown.map((u) => u.name).join(', '))}</p>}
      </section>
      <Tracking moves={view.moves} />
    </div>
  );
}

/** An establishment's moves in its stocks board, each with its next action (ship, receive). */
export function RedeployMoves() {
  const mine = useRedeploy((s) => s.mine);
  const load = useRedeploy((s) => s.load);
  const error = useRedeploy((s) => s.error);
  useEffect(() => {
    void load();
  }, [load]);
  if (!mine || mine.scope !== 'establishment' || mine.moves.length === 0) return null;
  return (
    <section className="redeploy-mine" aria-label={ui.redeploy.mine} data-testid="redeploy-mine">
      <h2>{ui.redeploy.mine}</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {mine.moves.map((r) => (
          <li key={r.id} data-testid={`redeploy-mine-${r.id}`} data-state={r.state}>
            <span>{r.side === 'giver' ? ui.redeploy.give(r.units, r.presentationLabel, r.toName) : ui.redeploy.receive(r.units, r.presentationLabel, r.fromName)}</span>{' '}
            <span className={`redeploy-state redeploy-state-${r.state}`}>{ui.redeploy.state[r.state]}</span> <span className="muted small">{lastStep(r)}</span> <StepButtons item={r} testPrefix="redeploy-mine-step" />
          </li>
        ))}
      </ul>
    </section>
  );
}
