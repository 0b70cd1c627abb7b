import { unitLabel } from '../../../common/domain/beds/unitTypes';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { ui } from '../../../common/i18n/ui.fr';
import { fr } from '../../../common/i18n/fr';
import { parseRole } from '../../../common/territory';
import { NEEDS } from '../../../common/domain/transfers/model';
import type { OperationPlanView, OperationView, TransferView } from '../../../common/domain/transfers/api';
import { call } from '../app/call';
import { useSession } from '../stores/session';
import { useTransfers } from './store';
import { OperationForm } from './OperationForm';
import './operations.css';

const o = ui.transfers.op;
const when = (iso: string) => new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

/** A reason asked inline before an action that needs one (cancel, release). */
function ReasonForm({ label, confirm, onSubmit, onBack, testId }: { label: string; confirm: string; onSubmit: (reason: string) => Promise<void>; onBack: () => void; testId: string }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="op-reason"
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(reason);
      }}
    >
      <label>
        {label}
        <input value={reason} onChange={(e) => setReason(e.target.value)} autoFocus maxLength={500} data-testid={`${testId}-reason`} />
      </label>
      <button type="submit" className="btn btn-danger btn-small" disabled={reason.trim().length < 3} data-testid={`${testId}-confirm`}>
        {confirm}
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={onBack}>
        {o.back}
      </button>
    </form>
  );
}

/** Boarded at the platform, en route, arrived: the whole operation, per destination establishment and per car. */
function Progress({ op }: { op: OperationView }) {
  const p = op.progress;
  const row = (key: string, name: string, c: { total: number; boarded: number; enRoute: number; arrived: number }) => (
    <tr key={key}>
      <td>{name}</td>
      <td>{c.total}</td>
      <td>{c.boarded}</td>
      <td>{c.enRoute}</td>
      <td>{c.arrived}</td>
    </tr>
  );
  const head = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        <th>{o.totalCol}</th>
        <th>{o.boardedCol}</th>
        <th>{o.enRouteCol}</th>
        <th>{o.arrivedCol}</th>
      </tr>
    </thead>
  );
  return (
    <section className="op-progress" data-testid="operation-progress-view">
      <h3>{o.progressTitle}</h3>
      <p data-testid="operation-progress">{o.progressCounts(p.total, p.boarded, p.enRoute, p.arrived)}</p>
      <div className="op-progress-tables">
        <table className="transfer-list" data-testid="operation-progress-dest">
          <caption>{o.byDestination}</caption>
          {head(o.destCol)}
          <tbody>{p.byDestination.map((d) => row(d.finess ?? '-', d.finess ? (op.destinationNames[d.finess] ?? d.finess) : o.notAssigned, d))}</tbody>
        </table>
        <table className="transfer-list" data-testid="operation-progress-car">
          <caption>{o.byCar}</caption>
          {head(o.carCol)}
          <tbody>{p.byCar.map((c) => row(String(c.car), op.cars[c.car]?.label ?? String(c.car + 1), c))}</tbody>
        </table>
      </div>
    </section>
  );
}

interface ManifestProps {
  op: OperationView;
  /** Buttons per car and per patient; none on paper. */
  actions: null | {
    canBoard: boolean;
    mayRun: boolean;
    onBoard: (args: { car: number } | { transferIds: string[] }) => void;
    onRelease: (id: string) => void;
    onPrint: (car: number | 'all') => void;
  };
  /** The cars shown (indexes in `op.cars`); all when absent. */
  only?: number;
}

/**
 * The manifest's tables, per car: place, transfer number, age band, need, ventilation and
 * ECMO, where the patient alights, destination unit, boarded. Never the clinical summary
 * (everyone who sees the operation may print it).
 */
function ManifestSheets({ op, actions, only }: ManifestProps) {
  const byId = new Map(op.transfers.map((t) => [t.id, t]));
  const boarded = new Set(op.boardedIds);
  const boarding = new Map((op.boarded ?? []).map((x) => [x.transferId, x]));
  const held = (state: string) => state === 'accepte' || state === 'transport';
  return (
    <>
      {op.cars.map((car, ci) => {
        if (only !== undefined && only !== ci) return null;
        const seats = op.seats.filter((s) => s.car === ci).sort((a, b) => a.place - b.place);
        const waiting = seats.filter((s) => !boarded.has(s.transferId) && held(byId.get(s.transferId)?.state ?? '')).length;
        return (
          <div key={ci} className="op-manifest-car" data-testid={actions ? `operation-manifest-car-${ci + 1}` : undefined}>
            <h4>
              {o.manifestCar(car.label)} <span className="muted">· {car.team ? o.team(car.team.label, car.team.size) : o.noTeam} · {seats.length}/{car.places}</span>
              {actions && (
                <>
                  {' '}
                  <button type="button" className="btn btn-small" onClick={() => actions.onPrint(ci)}>
                    {o.printCar}
                  </button>{' '}
                  {actions.canBoard && waiting > 0 && (
                    <button type="button" className="btn btn-primary btn-small" onClick={() => actions.onBoard({ car: ci })} data-testid={`operation-board-car-${ci + 1}`}>
                      {o.boardCar}
                    </button>
                  )}
                </>
              )}
            </h4>
            {seats.length === 0 ? (
              <p className="muted">{o.noPatientInCar}</p>
            ) : (
              <table className="transfer-list manifest">
                <thead>
                  <tr>
                    <th>{o.placeCol}</th>
                    <th>{o.numberCol}</th>
                    <th>{o.ageCol}</th>
                    <th>{o.needCol}</th>
                    <th>{o.flagsCol}</th>
                    <th>{o.alightCol}</th>
                    <th>{o.unitCol}</th>
                    <th>{o.stateCol}</th>
                    {actions && <th />}
                  </tr>
                </thead>
                <tbody>
                  {seats.map((s) => {
                    const t = byId.get(s.transferId);
                    if (!t) return null;
                    const isAboard = boarded.has(t.id);
                    const b = boarding.get(t.id);
                    return (
                      <tr key={t.id} data-testid={actions ? `operation-manifest-row-${t.number}` : undefined}>
                        <td>{s.place}</td>
                        <td>{t.number}</td>
                        <td>{t.patient.ageBand}</td>
                        <td>{fr.transfers.need[t.patient.need]}</td>
                        <td>{[t.patient.ventilated ? ui.transfers.ventilated : '', t.patient.ecmo ? ui.transfers.ecmo : ''].filter(Boolean).join(' · ') || '—'}</td>
                        <td>{op.legs[s.alightLeg]?.arrival.name ?? '—'}</td>
                        <td>{t.destName && t.destUnitId ? `${t.destName} — ${unitLabel({ unitType: t.destUnitType ?? t.destUnitId, unitId: t.destUnitId, unitName: null })}` : '—'}</td>
                        <td title={b ? o.boardedBy(b.by, when(b.at)) : undefined}>{isAboard && t.state !== 'arrive' ? `${o.boarded} ✓` : fr.transfers.state[t.state]}</td>
                        {actions && (
                          <td>
                            {actions.canBoard && !isAboard && held(t.state) && (
                              <button type="button" className="btn btn-small" onClick={() => actions.onBoard({ transferIds: [t.id] })} data-testid={`operation-board-${t.number}`}>
                                {o.board}
                              </button>
                            )}{' '}
                            {actions.mayRun && op.state !== 'annulee' && !isAboard && t.state !== 'en_route' && t.state !== 'arrive' && op.transferIds.length > 1 && (
                              <button type="button" className="btn btn-ghost btn-small" onClick={() => actions.onRelease(t.id)} data-testid={`operation-release-${t.number}`}>
                                {o.release}
                              </button>
                            )}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
    </>
  );
}

/**
 * The manifest on screen, and on paper: printing renders a sheet straight under `body`
 * (a portal) that the print stylesheet keeps alone — the whole vehicle or one car — then
 * prints it (`operations.css`).
 */
function Manifest({ op, mayRun, onBoard, onRelease }: { op: OperationView; mayRun: boolean; onBoard: (args: { car: number } | { transferIds: string[] }) => void; onRelease: (id: string) => void }) {
  const [printing, setPrinting] = useState<number | 'all' | null>(null);
  useEffect(() => {
    if (printing === null) return;
    window.print();
    setPrinting(null);
  }, [printing]);
  return (
    <section className="op-manifest" data-testid="operation-manifest">
      <h3>
        {o.manifestOf(op.label)}{' '}
        <button type="button" className="btn btn-small" onClick={() => setPrinting('all')} data-testid="operation-print">
          {o.printAll}
        </button>
      </h3>
      <ManifestSheets op={op} actions={{ canBoard: mayRun && op.state === 'reservee', mayRun, onBoard, onRelease, onPrint: setPrinting }} />
      {printing !== null &&
        createPortal(
          <div className="op-print-sheet" data-testid="operation-print-sheet">
            <h3>{o.manifestOf(op.label)}</h3>
            <p>
              {o.vehicles[op.vehicle]} · {op.legs.map((l) => `${l.departure.name} ${when(l.departure.at)} → ${l.arrival.name} ${when(l.arrival.at)}`).join(' · ')} · {op.receivingLabel}
            </p>
            <ManifestSheets op={op} actions={null} only={printing === 'all' ? undefined : printing} />
          </div>,
          document.body,
        )}
    </section>
  );
}

function OperationDetail({ op, onEdit }: { op: OperationView; onEdit: () => void }) {
  const [plan, setPlan] = useState<OperationPlanView | null>(null);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<{ kind: 'cancel' } | { kind: 'release'; transferId: string } | null>(null);
  const done = (r: { ok: boolean; error?: { message: string } }) => setError(r.ok ? null : (r.error?.message ?? null));
  const propose = async () => {
    const r = await call('transfers.planOperation', { id: op.id });
    if (!r.ok) return setError(r.error.message);
    setPlan(r.data);
    setChoice(Object.fromEntries(r.data.plan.assignments.map((a) => [a.patientId, a.unitKey])));
    setError(null);
  };
  const hold = async () => {
    const assignments = op.transferIds.map((transferId) => {
      const key = choice[transferId] ?? '';
      const i = key.indexOf(':');
      return { transferId, destFiness: key.slice(0, i), destUnitId: key.slice(i + 1) };
    });
    const r = await call('transfers.holdOperation', { id: op.id, assignments });
    done(r);
    if (r.ok) setPlan(null);
  };
  const board = async (args: { car: number } | { transferIds: string[] }) => done(await call('transfers.boardOperation', { id: op.id, ...args }));
  const byId = new Map(op.transfers.map((t) => [t.id, t]));
  const seatOf = new Map(op.seats.map((s) => [s.transferId, s]));
  const minutesFor = (transferId: string, key: string) => plan?.minutesByLeg[seatOf.get(transferId)?.alightLeg ?? op.legs.length - 1]?.[key] ?? null;
  // The regulator's adjustments, counted live: free before, assigned, left.
  const arithmetic = useMemo(() => {
    if (!plan) return [];
    const assigned = new Map<string, number>();
    for (const k of Object.values(choice)) if (k) assigned.set(k, (assigned.get(k) ?? 0) + 1);
    return plan.units.filter((u) => assigned.has(u.key)).map((u) => ({ ...u, assigned: assigned.get(u.key) ?? 0, left: u.free - (assigned.get(u.key) ?? 0) }));
  }, [plan, choice]);
  const total = op.transferIds.reduce((n, id) => n + (minutesFor(id, choice[id] ?? '') ?? 0), 0);
  const complete = op.transferIds.every((id) => choice[id]);
  const overbooked = arithmetic.some((u) => u.left < 0);
  return (
    <section className="operation-detail" data-testid="operation-detail">
      <h2>
        {op.label} <span className="muted">· {o.vehicles[op.vehicle]} · {o.state[op.state]}</span>
      </h2>
      <ol className="op-journey" data-testid="operation-journey">
        {op.legs.map((l, i) => (
          <li key={i}>
            {l.departure.name} {when(l.departure.at)} → {l.arrival.name} {when(l.arrival.at)}
          </li>
        ))}
      </ol>
      <p className="muted">
        {op.receivingLabel} · {op.transferIds.length}/{op.capacity} · {op.cars.map((c) => `${c.label} (${c.places}${c.team ? `, ${c.team.label}` : ''})`).join(' · ')}
      </p>
      {op.cancelled && <p className="form-error">{o.cancelledBy(op.cancelled.reason, op.cancelled.by, when(op.cancelled.at))}</p>}
      {!op.mayRun && <p className="muted">{o.mayNotRun}</p>}
      {op.mayRun && op.state !== 'annulee' && (
        <div className="actions">
          {op.state === 'planifiee' && (
            <>
              <button type="button" className="btn" onClick={onEdit} data-testid="operation-edit">
                {o.edit}
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void propose()} data-testid="operation-plan">
                {o.plan}
              </button>
              {plan && (
                <button type="button" className="btn btn-primary" onClick={() => void hold()} disabled={!complete || overbooked} data-testid="operation-hold">
                  {o.hold}
                </button>
              )}
            </>
          )}
          <button type="button" className="btn btn-danger" onClick={() => setAsking({ kind: 'cancel' })} data-testid="operation-cancel">
            {o.cancel}
          </button>
        </div>
      )}
      {asking?.kind === 'cancel' && (
        <ReasonForm
          label={o.cancelReason}
          confirm={o.confirmCancel}
          testId="operation-cancel"
          onBack={() => setAsking(null)}
          onSubmit={async (reason) => {
            const r = await call('transfers.cancelOperation', { id: op.id, reason });
            done(r);
            if (r.ok) setAsking(null);
          }}
        />
      )}
      {asking?.kind === 'release' && (
        <ReasonForm
          label={`${o.releaseReason} — ${byId.get(asking.transferId)?.number ?? ''}`}
          confirm={o.confirmRelease}
          testId="operation-release"
          onBack={() => setAsking(null)}
          onSubmit={async (reason) => {
            const r = await call('transfers.releaseFromOperation', { id: op.id, transferId: asking.transferId, reason });
            done(r);
            if (r.ok) setAsking(null);
          }}
        />
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="operation-error">
          {error}
        </p>
      )}
      {plan && (
        <div>
          <p data-testid="operation-plan-totals">{o.totals(plan.plan.placed, op.transferIds.length, total, plan.plan.maxMinutes)}</p>
          <p className="muted">{o.versusGreedy(plan.greedyTotalMinutes, plan.plan.totalMinutes)}</p>
          <table className="transfer-list" data-testid="operation-plan-table">
            <thead>
              <tr>
                <th>{o.patientCol}</th>
                <th>{o.needCol}</th>
                <th>{o.alightCol}</th>
                <th>{o.unitCol}</th>
                <th>{o.minutesCol}</th>
              </tr>
            </thead>
            <tbody>
              {op.transferIds.map((id) => {
                const t = byId.get(id);
                const types = t ? (NEEDS[t.patient.need] as readonly string[]) : [];
                const key = choice[id] ?? '';
                return (
                  <tr key={id}>
                    <td>{t?.number ?? id}</td>
                    <td>{t ? fr.transfers.need[t.patient.need] : ''}</td>
                    <td>{op.legs[seatOf.get(id)?.alightLeg ?? op.legs.length - 1]?.arrival.name}</td>
                    <td>
                      <select value={key} onChange={(e) => setChoice({ ...choice, [id]: e.target.value })} data-testid={`operation-unit-${t?.number ?? id}`}>
                        <option value="">{o.choose}</option>
                        {plan.units
                          .filter((u) => types.includes(u.unitType) && u.free > 0)
                          .map((u) => (
                            <option key={u.key} value={u.key}>
                              {u.establishmentName} — {u.label} ({u.free})
                            </option>
                          ))}
                      </select>
                    </td>
                    <td>{minutesFor(id, key) ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>{o.unitArithmetic}</h3>
          <ul className="plain" data-testid="operation-arithmetic">
            {arithmetic.map((u) => (
              <li key={u.key} className={u.left < 0 ? 'form-error' : ''}>
                {u.establishmentName} — {u.label} : {u.free} − {u.assigned} = {u.left}
              </li>
            ))}
          </ul>
          {plan.plan.unplaced.length > 0 && (
            <p className="form-error">
              {o.unplaced} : {plan.plan.unplaced.map((x) => byId.get(x.patientId)?.number ?? x.patientId).join(', ')}
            </p>
          )}
        </div>
      )}
      {op.state !== 'planifiee' && <Progress op={op} />}
      <Manifest op={op} mayRun={op.mayRun} onBoard={(a) => void board(a)} onRelease={(transferId) => setAsking({ kind: 'release', transferId })} />
    </section>
  );
}

/** Mass evacuations: their list, a creation and re-plan form, planning and holds, boarding, progress and manifests. */
export function OperationsPanel() {
  const session = useSession((s) => s.session);
  const kind = parseRole(session?.user.role ?? '')?.kind;
  const runner = kind === 'national' || kind === 'ars';
  const transfers = useTransfers((s) => s.transfers);
  const [ops, setOps] = useState<OperationView[]>([]);
  const [form, setForm] = useState<'new' | 'edit' | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    void call('transfers.operations', {}).then((r) => r.ok && setOps(r.data));
  }, [transfers, form]);
  const waiting: TransferView[] = transfers.filter((t) => (t.state === 'demande' || t.state === 'refuse') && !t.operationId);
  const op = ops.find((x) => x.id === selected) ?? ops[0] ?? null;
  return (
    <div className="operations" data-testid="operations">
      <div className="operations-list">
        {runner && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setForm('new')} data-testid="operation-new-open">
            {o.new}
          </button>
        )}
        {ops.length === 0 && <p className="muted">{o.none}</p>}
        <ul className="plain">
          {ops.map((x) => (
            <li key={x.id}>
              <button
                type="button"
                className={`link${op?.id === x.id ? ' active' : ''}`}
                onClick={() => {
                  setSelected(x.id);
                  setForm(null);
                }}
                data-testid={`operation-${x.id}`}
              >
                {x.label} <span className="muted">· {o.state[x.state]}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="operations-main">
        {form && <OperationForm key={form === 'edit' ? op?.id : 'new'} waiting={waiting} editing={form === 'edit' ? op : null} onDone={() => setForm(null)} />}
        {!form && op && <OperationDetail key={op.id} op={op} onEdit={() => setForm('edit')} />}
      </div>
    </div>
  );
}
