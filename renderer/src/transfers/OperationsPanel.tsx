import { useEffect, useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { fr } from '../../../common/i18n/fr';
import { parseRole } from '../../../common/territory';
import { NEEDS, VEHICLES, type Vehicle } from '../../../common/domain/transfers/model';
import { KNOWN_PLACES } from '../../../common/domain/transfers/places';
import type { OperationPlanView, OperationView, TransferView } from '../../../common/domain/transfers/api';
import { call } from '../app/call';
import { useSession } from '../stores/session';
import { useTransfers } from './store';

const local = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

function NewOperation({ waiting, onDone }: { waiting: TransferView[]; onDone: () => void }) {
  const referential = useSession((s) => s.referential);
  const o = ui.transfers.op;
  const [label, setLabel] = useState('');
  const [vehicle, setVehicle] = useState<Vehicle>('tgv');
  const [capacity, setCapacity] = useState(24);
  const [from, setFrom] = useState(KNOWN_PLACES[2].name);
  const [to, setTo] = useState(KNOWN_PLACES[6].name);
  const [departAt, setDepartAt] = useState(local(new Date(Date.now() + 2 * 3_600_000)));
  const [arriveAt, setArriveAt] = useState(local(new Date(Date.now() + 6 * 3_600_000)));
  const [region, setRegion] = useState('R:53');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const place = (name: string, at: string) => {
    const k = KNOWN_PLACES.find((p) => p.name === name);
    return { name, at: new Date(at).toISOString(), lat: k?.lat ?? null, lon: k?.lon ?? null };
  };
  const submit = async () => {
    const r = await call('transfers.createOperation', { label, vehicle, capacity, departure: place(from, departAt), arrival: place(to, arriveAt), receivingRegion: region, transferIds: chosen });
    if (!r.ok) return setError(r.error.message);
    onDone();
  };
  return (
    <form
      className="transfer-form"
      data-testid="operation-new"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{o.new}</h2>
      <label>
        {o.label}
        <input value={label} onChange={(e) => setLabel(e.target.value)} autoFocus data-testid="operation-label" maxLength={120} />
      </label>
      <label>
        {o.vehicle}
        <select value={vehicle} onChange={(e) => setVehicle(e.target.value as Vehicle)} data-testid="operation-vehicle">
          {VEHICLES.map((v) => (
            <option key={v} value={v}>
              {o.vehicles[v]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {o.capacity}
        <input type="number" min={1} max={60} value={capacity} onChange={(e) => setCapacity(Number(e.target.value))} data-testid="operation-capacity" />
      </label>
      <label>
        {o.departure}
        <select value={from} onChange={(e) => setFrom(e.target.value)}>
          {KNOWN_PLACES.map((p) => (
            <option key={p.name}>{p.name}</option>
          ))}
        </select>
      </label>
      <label>
        {o.departureAt}
        <input type="datetime-local" value={departAt} onChange={(e) => setDepartAt(e.target.value)} />
      </label>
      <label>
        {o.arrival}
        <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="operation-arrival">
          {KNOWN_PLACES.map((p) => (
            <option key={p.name}>{p.name}</option>
          ))}
        </select>
      </label>
      <label>
        {o.arrivalAt}
        <input type="datetime-local" value={arriveAt} onChange={(e) => setArriveAt(e.target.value)} />
      </label>
      <label>
        {o.region}
        <select value={region} onChange={(e) => setRegion(e.target.value)} data-testid="operation-region">
          {(referential?.regions ?? []).map((r) => (
            <option key={r.key} value={r.key}>
              {r.label.replace(/^ARS\s+/, '')}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="wide">
        <legend>
          {o.patients} · {chosen.length}/{capacity}
        </legend>
        {waiting.length === 0 && <p className="muted">{o.noWaiting}</p>}
        <div className="op-patients">
          {waiting.map((t) => (
            <label key={t.id} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(t.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, t.id] : chosen.filter((x) => x !== t.id))}
                data-testid={`operation-patient-${t.number}`}
              />{' '}
              {t.number} · {fr.transfers.need[t.patient.need]} · {t.originName}
            </label>
          ))}
        </div>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" data-testid="operation-create" disabled={chosen.length === 0 || label.trim().length < 3}>
          {o.create}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {ui.transfers.form.cancel}
        </button>
      </div>
    </form>
  );
}

function OperationDetail({ op, national }: { op: OperationView; national: boolean }) {
  const o = ui.transfers.op;
  const [plan, setPlan] = useState<OperationPlanView | null>(null);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
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
    setError(r.ok ? null : r.error.message);
    if (r.ok) setPlan(null);
  };
  const byId = new Map(op.transfers.map((t) => [t.id, t]));
  // The regulator's adjustments, counted live: free before, assigned, left.
  const arithmetic = useMemo(() => {
    if (!plan) return [];
    const assigned = new Map<string, number>();
    for (const k of Object.values(choice)) if (k) assigned.set(k, (assigned.get(k) ?? 0) + 1);
    return plan.units.filter((u) => assigned.has(u.key)).map((u) => ({ ...u, assigned: assigned.get(u.key) ?? 0, left: u.free - (assigned.get(u.key) ?? 0) }));
  }, [plan, choice]);
  const boarded = op.transfers.filter((t) => t.state === 'en_route').length;
  const arrived = op.transfers.filter((t) => t.state === 'arrive').length;
  const complete = op.transferIds.every((id) => choice[id]);
  const overbooked = arithmetic.some((u) => u.left < 0);
  return (
    <section className="operation-detail" data-testid="operation-detail">
      <h2>
        {op.label} <span className="muted">· {o.vehicles[op.vehicle]} · {o.state[op.state]}</span>
      </h2>
      <p className="muted">
        {op.departure.name} {new Date(op.departure.at).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' })} → {op.arrival.name}{' '}
        {new Date(op.arrival.at).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' })} · {op.receivingLabel} · {op.transferIds.length}/{op.capacity}
      </p>
      <p data-testid="operation-progress">{o.progress(boarded, arrived, op.transferIds.length)}</p>
      {national && op.state === 'planifiee' && (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => void propose()} data-testid="operation-plan">
            {o.plan}
          </button>
          {plan && (
            <button type="button" className="btn btn-primary" onClick={() => void hold()} disabled={!complete || overbooked} data-testid="operation-hold">
              {o.hold}
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="operation-error">
          {error}
        </p>
      )}
      {plan && (
        <>
          <p data-testid="operation-plan-totals">{o.totals(plan.plan.placed, op.transferIds.length, plan.plan.totalMinutes, plan.plan.maxMinutes)}</p>
          <p className="muted">{o.versusGreedy(plan.greedyTotalMinutes, plan.plan.totalMinutes)}</p>
          <table className="transfer-list" data-testid="operation-plan-table">
            <thead>
              <tr>
                <th>{o.patientCol}</th>
                <th>{o.needCol}</th>
                <th>{o.unitCol}</th>
                <th>{o.minutesCol}</th>
              </tr>
            </thead>
            <tbody>
              {op.transferIds.map((id) => {
                const t = byId.get(id);
                const types = t ? (NEEDS[t.patient.need] as readonly string[]) : [];
                const key = choice[id] ?? '';
                const unit = plan.units.find((u) => u.key === key);
                return (
                  <tr key={id}>
                    <td>{t?.number ?? id}</td>
                    <td>{t ? fr.transfers.need[t.patient.need] : ''}</td>
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
                    <td>{unit?.minutes ?? '—'}</td>
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
        </>
      )}
      <h3>
        {o.manifest}{' '}
        <button type="button" className="btn btn-small" onClick={() => window.print()}>
          {o.print}
        </button>
      </h3>
      <table className="transfer-list manifest" data-testid="operation-manifest">
        <tbody>
          {op.transfers.map((t) => (
            <tr key={t.id}>
              <td>{t.number}</td>
              <td>{fr.transfers.need[t.patient.need]}</td>
              <td>
                {t.patient.ageBand} · {t.patient.sex} · {ui.transfers.covid[t.patient.covid]}
                {t.patient.ventilated ? ` · ${ui.transfers.ventilated}` : ''}
              </td>
              <td>{t.originName}</td>
              <td>{t.destName ? `${t.destName} — ${t.destUnitId}` : '—'}</td>
              <td>{fr.transfers.state[t.state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Mass evacuations: their list, a creation form and a planning view for the national cell, a manifest and progress for all. */
export function OperationsPanel() {
  const session = useSession((s) => s.session);
  const national = parseRole(session?.user.role ?? '')?.kind === 'national';
  const transfers = useTransfers((s) => s.transfers);
  const [ops, setOps] = useState<OperationView[]>([]);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    void call('transfers.operations', {}).then((r) => r.ok && setOps(r.data));
  }, [transfers, creating]);
  const waiting = transfers.filter((t) => (t.state === 'demande' || t.state === 'refuse') && !t.operationId);
  const op = ops.find((o) => o.id === selected) ?? ops[0] ?? null;
  return (
    <div className="operations" data-testid="operations">
      <div className="operations-list">
        {national && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setCreating(true)} data-testid="operation-new-open">
            {ui.transfers.op.new}
          </button>
        )}
        {ops.length === 0 && <p className="muted">{ui.transfers.op.none}</p>}
        <ul className="plain">
          {ops.map((o) => (
            <li key={o.id}>
              <button type="button" className={`link${op?.id === o.id ? ' active' : ''}`} onClick={() => setSelected(o.id)} data-testid={`operation-${o.id}`}>
                {o.label} <span className="muted">· {ui.transfers.op.state[o.state]}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="operations-main">
        {creating && <NewOperation waiting={waiting} onDone={() => setCreating(false)} />}
        {!creating && op && <OperationDetail key={op.id} op={op} national={national} />}
      </div>
    </div>
  );
}
