import { useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { fr } from '../../../common/i18n/fr';
import { VEHICLES, type Car, type Leg, type Seat, type Vehicle } from '../../../common/domain/transfers/model';
import { KNOWN_PLACES } from '../../../common/domain/transfers/places';
import { autoPlace, capacityOf, layoutRefusal, legsRefusal, seatsRefusal } from '../../../common/domain/transfers/operation';
import type { OperationView, TransferView } from '../../../common/domain/transfers/api';
import { call } from '../app/call';
import { useSession } from '../stores/session';

/** `2020-03-26T08:00` in the workstation's time, for a datetime-local input. */
const local = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
const hoursFromNow = (h: number) => local(new Date(Date.now() + h * 3_600_000));

interface FormLeg {
  from: string;
  departAt: string;
  to: string;
  arriveAt: string;
}
interface FormCar {
  label: string;
  places: number;
  teamLabel: string;
  teamSize: number;
}

const placeOf = (name: string, at: string) => {
  const k = KNOWN_PLACES.find((p) => p.name === name);
  const t = new Date(at);
  return { name, at: Number.isNaN(t.getTime()) ? '' : t.toISOString(), lat: k?.lat ?? null, lon: k?.lon ?? null };
};
const toLegs = (legs: FormLeg[]): Leg[] =>
  legs.map((l, i) => ({ departure: placeOf(i === 0 ? l.from : legs[i - 1].to, l.departAt), arrival: placeOf(l.to, l.arriveAt) }));
const toCars = (cars: FormCar[]): Car[] =>
  cars.map((c) => ({ label: c.label.trim(), places: Math.max(0, Math.floor(c.places)), team: c.teamLabel.trim() ? { label: c.teamLabel.trim(), size: Math.max(1, Math.floor(c.teamSize)) } : null }));

function PlaceSelect({ value, onChange, testId, disabled }: { value: string; onChange: (v: string) => void; testId?: string; disabled?: boolean }) {
  const known = KNOWN_PLACES.some((p) => p.name === value);
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled}>
      {!known && <option>{value}</option>}
      {KNOWN_PLACES.map((p) => (
        <option key={p.name}>{p.name}</option>
      ))}
    </select>
  );
}

/**
 * The creation of an operation, or its re-plan before its beds are held: vehicle, legs (a
 * stop is a new leg from the previous arrival), cars with their places and team, patients,
 * and where each travels (placed in order, editable). The domain's own rules judge it live,
 * with the sentences the server would answer.
 */
export function OperationForm({ waiting, editing, onDone }: { waiting: TransferView[]; editing: OperationView | null; onDone: () => void }) {
  const referential = useSession((s) => s.referential);
  const o = ui.transfers.op;
  const [label, setLabel] = useState(editing?.label ?? '');
  const [vehicle, setVehicle] = useState<Vehicle>(editing?.vehicle ?? 'tgv');
  const [region, setRegion] = useState(editing?.receivingRegion ?? 'R:53');
  const [legs, setLegs] = useState<FormLeg[]>(
    editing
      ? editing.legs.map((l) => ({ from: l.departure.name, departAt: local(new Date(l.departure.at)), to: l.arrival.name, arriveAt: local(new Date(l.arrival.at)) }))
      : [{ from: KNOWN_PLACES[2].name, departAt: hoursFromNow(2), to: KNOWN_PLACES[6].name, arriveAt: hoursFromNow(6) }],
  );
  const [cars, setCars] = useState<FormCar[]>(
    editing
      ? editing.cars.map((c) => ({ label: c.label, places: c.places, teamLabel: c.team?.label ?? '', teamSize: c.team?.size ?? 4 }))
      : [
          { label: o.defaultCar('tgv', 1), places: 6, teamLabel: '', teamSize: 4 },
          { label: o.defaultCar('tgv', 2), places: 6, teamLabel: '', teamSize: 4 },
        ],
  );
  const [chosen, setChosen] = useState<string[]>(editing?.transferIds ?? []);
  const [seatEdits, setSeatEdits] = useState<Seat[]>(editing?.seats ?? []);
  const [error, setError] = useState<string | null>(null);

  const candidates = useMemo(() => {
    const mine = editing ? editing.transfers : [];
    return [...mine, ...waiting.filter((t) => !mine.some((m) => m.id === t.id))];
  }, [waiting, editing]);
  const byId = new Map(candidates.map((t) => [t.id, t]));
  const numberOf = (id: string) => byId.get(id)?.number ?? id;
  const carList = toCars(cars);
  const legList = toLegs(legs);
  const seats = autoPlace(chosen, carList, legs.length, seatEdits);
  const capacity = capacityOf(carList);
  const problem =
    layoutRefusal(vehicle, carList) ??
    (legList.some((l) => !l.departure.at || !l.arrival.at) ? fr.transfers.operation.noLeg : legsRefusal(legList)) ??
    (seats === null ? fr.transfers.operation.overCapacity(chosen.length, capacity) : seatsRefusal(seats, chosen, carList, legs.length, numberOf));

  const setLeg = (i: number, patch: Partial<FormLeg>) => setLegs(legs.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const setCar = (i: number, patch: Partial<FormCar>) => setCars(cars.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const moveSeat = (s: Seat) => setSeatEdits([s, ...(seats ?? []).filter((x) => x.transferId !== s.transferId)]);

  const submit = async () => {
    const args = { label, vehicle, legs: legList, cars: carList, receivingRegion: region, transferIds: chosen, seats };
    const r = editing ? await call('transfers.updateOperation', { id: editing.id, ...args }) : await call('transfers.createOperation', args);
    if (!r.ok) return setError(r.error.message);
    onDone();
  };

  return (
    <form
      className="transfer-form operation-form"
      data-testid="operation-new"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{editing ? o.editTitle(editing.label) : o.new}</h2>
      <label>
        {o.label}
        <input value={label} onChange={(e) => setLabel(e.target.value)} autoFocus data-testid="operation-label" maxLength={120} />
      </label>
      <label>
        {o.vehicle}
        <select
          value={vehicle}
          onChange={(e) => {
            const next = e.target.value as Vehicle;
            // « Voiture 1 » becomes « Cabine 1 » (and back) unless the regulator named it.
            setCars(cars.map((c, i) => (c.label === o.defaultCar(vehicle, i + 1) ? { ...c, label: o.defaultCar(next, i + 1) } : c)));
            setVehicle(next);
          }}
          data-testid="operation-vehicle"
        >
          {VEHICLES.map((v) => (
            <option key={v} value={v}>
              {o.vehicles[v]}
            </option>
          ))}
        </select>
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

      <fieldset className="wide op-legs">
        <legend>{o.legs}</legend>
        {legs.map((l, i) => (
          <div className="op-row" key={i} data-testid={`operation-leg-${i + 1}`}>
            <strong>{o.leg(i + 1)}</strong>
            <label>
              {o.departure}
              <PlaceSelect value={i === 0 ? l.from : legs[i - 1].to} onChange={(v) => setLeg(i, { from: v })} disabled={i > 0} testId={`operation-leg-${i + 1}-from`} />
            </label>
            <label>
              {o.departureAt}
              <input type="datetime-local" value={l.departAt} onChange={(e) => setLeg(i, { departAt: e.target.value })} data-testid={`operation-leg-${i + 1}-departAt`} />
            </label>
            <label>
              {o.arrival}
              <PlaceSelect value={l.to} onChange={(v) => setLeg(i, { to: v })} testId={`operation-leg-${i + 1}-to`} />
            </label>
            <label>
              {o.arrivalAt}
              <input type="datetime-local" value={l.arriveAt} onChange={(e) => setLeg(i, { arriveAt: e.target.value })} data-testid={`operation-leg-${i + 1}-arriveAt`} />
            </label>
            {i > 0 && (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setLegs(legs.filter((_, j) => j !== i))}>
                {o.removeLeg}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          data-testid="operation-add-leg"
          onClick={() => {
            const last = legs[legs.length - 1];
            const t = new Date(last.arriveAt).getTime();
            const next = Number.isNaN(t) ? hoursFromNow(8) : local(new Date(t + 20 * 60_000));
            setLegs([...legs, { from: last.to, departAt: next, to: last.to === KNOWN_PLACES[8].name ? KNOWN_PLACES[6].name : KNOWN_PLACES[8].name, arriveAt: Number.isNaN(t) ? hoursFromNow(10) : local(new Date(t + 80 * 60_000)) }]);
          }}
        >
          {o.addStop}
        </button>
      </fieldset>

      <fieldset className="wide op-cars">
        <legend>
          {o.cars(vehicle)} · {o.capacityTotal(capacity)}
        </legend>
        {cars.map((c, i) => (
          <div className="op-row" key={i} data-testid={`operation-car-${i + 1}`}>
            <label>
              {o.carLabel}
              <input value={c.label} onChange={(e) => setCar(i, { label: e.target.value })} maxLength={40} data-testid={`operation-car-${i + 1}-label`} />
            </label>
            <label>
              {o.places}
              <input type="number" min={1} max={30} value={c.places} onChange={(e) => setCar(i, { places: Number(e.target.value) })} data-testid={`operation-car-${i + 1}-places`} />
            </label>
            <label className="grow">
              {o.teamLabel}
              <input value={c.teamLabel} placeholder={o.teamPlaceholder} onChange={(e) => setCar(i, { teamLabel: e.target.value })} maxLength={80} data-testid={`operation-car-${i + 1}-team`} />
            </label>
            <label>
              {o.teamSize}
              <input type="number" min={1} max={30} value={c.teamSize} onChange={(e) => setCar(i, { teamSize: Number(e.target.value) })} />
            </label>
            {cars.length > 1 && (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setCars(cars.filter((_, j) => j !== i))}>
                {o.removeCar}
              </button>
            )}
          </div>
        ))}
        <button type="button" className="btn btn-small" data-testid="operation-add-car" onClick={() => setCars([...cars, { label: o.defaultCar(vehicle, cars.length + 1), places: 4, teamLabel: '', teamSize: 4 }])}>
          {o.addCar(vehicle)}
        </button>
      </fieldset>

      <fieldset className="wide">
        <legend>
          {o.patients} · {chosen.length}/{capacity}
        </legend>
        {candidates.length === 0 && <p className="muted">{o.noWaiting}</p>}
        <div className="op-patients">
          {candidates.map((t) => (
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

      {seats && seats.length > 0 && (
        <fieldset className="wide">
          <legend>{o.seating}</legend>
          <table className="transfer-list" data-testid="operation-seating">
            <thead>
              <tr>
                <th>{o.patientCol}</th>
                <th>{o.carCol}</th>
                <th>{o.placeCol}</th>
                <th>{o.alightCol}</th>
              </tr>
            </thead>
            <tbody>
              {seats.map((s) => (
                <tr key={s.transferId}>
                  <td>{numberOf(s.transferId)}</td>
                  <td>
                    <select value={s.car} onChange={(e) => moveSeat({ ...s, car: Number(e.target.value), place: 1 })} data-testid={`operation-seat-car-${numberOf(s.transferId)}`}>
                      {carList.map((c, i) => (
                        <option key={i} value={i}>
                          {c.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="number" min={1} max={carList[s.car]?.places ?? 1} value={s.place} onChange={(e) => moveSeat({ ...s, place: Number(e.target.value) })} />
                  </td>
                  <td>
                    <select value={s.alightLeg} onChange={(e) => moveSeat({ ...s, alightLeg: Number(e.target.value) })} data-testid={`operation-seat-alight-${numberOf(s.transferId)}`}>
                      {legList.map((l, i) => (
                        <option key={i} value={i}>
                          {l.arrival.name}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
      )}

      {(error ?? (chosen.length > 0 ? problem : null)) && (
        <p className="form-error" role="alert" data-testid="operation-form-error">
          {error ?? problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" data-testid="operation-create" disabled={chosen.length === 0 || label.trim().length < 3 || problem !== null}>
          {editing ? o.save : o.create}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {ui.transfers.form.cancel}
        </button>
      </div>
    </form>
  );
}
