/**
 * The mass-evacuation planner (issue 8, "opérations"): given the patients a train, aircraft
 * or ship brings and the receiving region's units, propose which unit takes which patient.
 *
 * Patients may alight at different points (a train stopping on the way): each patient's
 * road time counts from its own arrival point.
 *
 * The plan
 *   - respects each patient's need (only a unit of an acceptable type) and each unit's free,
 *     not-held beds (never more patients than free beds);
 *   - places as many patients as the beds allow, then, among such plans, minimises the total
 *     road time from the arrival station or airport (ambulance mode of travel.ts);
 *   - shows its arithmetic: per unit, free beds before, assigned, left; per patient, the
 *     minutes; and, for each patient it cannot place, why.
 * Units without coordinates have no road time (travel.ts never guesses one): the planner
 * leaves them to the regulator, who can still assign a patient there by hand.
 *
 * Method: a min-cost max-flow by successive shortest paths (Dijkstra with Johnson
 * potentials) on a small graph: source → need class (patients with the same set of
 * acceptable types, capacity = their count) → unit (cost = road minutes) → sink (capacity =
 * free beds). Grouping patients by need class keeps the graph at a few classes × the units
 * (200 patients × 60 units is ~70 nodes), so the solution is exact and takes well under a
 * millisecond; all costs are whole minutes, so there is no floating-point tie noise. Within a
 * class every patient has the same costs, so which patient takes which of the class's beds
 * does not change the total: patients are served in input order, nearest beds first (list
 * the most urgent first).
 *
 * Library survey (npm view): `min-cost-flow` 2.1.0 (one release, untyped, depends on
 * `heap`), `munkres-js` 1.2.2 (Hungarian, one release, untyped, O(n³) on 200 expanded bed
 * slots), `linear-assignment-js` 1.0.10 (one release, untyped), `javascript-lp-solver`
 * 1.0.3 (a general LP/MIP solver, floating point). None is maintained and typed, and
 * `common/` may import nothing but zod (tests/unit/common/boundaries.test.ts), so the ~60
 * lines of flow below are hand-written, tested against the greedy baseline and by brute
 * force on small cases.
 */
import { travelMinutes, type GeoPoint, type TravelMode } from './travel';

/** Road mode from the arrival station or airport to the units. */
export const EVACUATION_MODE: TravelMode = 'ambulance';

export interface EvacuationPatient {
  id: string;
  /** Acceptable unit types (codes of UNIT_TYPES). */
  need: readonly string[];
  /** Where this patient alights, when not at the input's arrival (a stop on the way: road time counts from there). */
  arrival?: GeoPoint;
}

export interface EvacuationUnit {
  /** The unit's identity, unique in the input (e.g. `finess/unitId`). */
  key: string;
  unitType: string;
  /** Free, not-held beds (available − held). */
  free: number;
  lat: number | null;
  lon: number | null;
}

export interface EvacuationInput {
  /** The arrival station, airport or port. */
  arrival: GeoPoint;
  /** In priority order: within patients of the same need, earlier ones get the nearer beds and are placed first. */
  patients: readonly EvacuationPatient[];
  units: readonly EvacuationUnit[];
}

/**
 * Why a patient is not placed:
 * - `no_accepting_unit`: no unit of an acceptable type has a free bed at all;
 * - `no_location`: the only such units have no coordinates (road time unknown): assign by hand;
 * - `capacity_exhausted`: units of an acceptable type had free beds, all given to other patients.
 */
export type UnplacedReason = 'no_accepting_unit' | 'no_location' | 'capacity_exhausted';

export interface EvacuationAssignment {
  patientId: string;
  unitKey: string;
  unitType: string;
  /** Road minutes from the patient's arrival point. */
  minutes: number;
}

export interface EvacuationUnplaced {
  patientId: string;
  need: string[];
  reason: UnplacedReason;
}

/** One unit's arithmetic: freeBefore − assigned = left. */
export interface EvacuationUnitLine {
  key: string;
  unitType: string;
  /** Road minutes from the input's arrival point; null without coordinates. */
  minutes: number | null;
  freeBefore: number;
  assigned: number;
  left: number;
  /** The patients it takes, in input order. */
  patientIds: string[];
}

export interface EvacuationPlan {
  method: 'min_cost_flow' | 'greedy';
  /** In the patients' input order. */
  assignments: EvacuationAssignment[];
  /** In the patients' input order. */
  unplaced: EvacuationUnplaced[];
  /** Every input unit, in input order. */
  units: EvacuationUnitLine[];
  placed: number;
  /** Sum of the assignments' minutes. */
  totalMinutes: number;
  /** The longest road trip of the plan (0 when nobody is placed). */
  maxMinutes: number;
}

/** The input checked and indexed once, shared by both planners. */
interface Prepared {
  input: EvacuationInput;
  free: number[];
  /** Road minutes from each arrival point (index 0: the input's) to each unit. */
  minutes: Array<Array<number | null>>;
  /** Per patient, the index of its arrival point in `minutes`. */
  arrivalOf: number[];
  /** Per patient, the indexes of the units whose type it accepts. */
  accepts: number[][];
}

function prepare(input: EvacuationInput): Prepared {
  const seenP = new Set<string>();
  for (const p of input.patients) {
    if (seenP.has(p.id)) throw new Error(`evacuation plan: patient ${p.id} is listed twice`);
    seenP.add(p.id);
  }
  const seenU = new Set<string>();
  const byType = new Map<string, number[]>();
  input.units.forEach((u, i) => {
    if (seenU.has(u.key)) throw new Error(`evacuation plan: unit ${u.key} is listed twice`);
    seenU.add(u.key);
    byType.set(u.unitType, [...(byType.get(u.unitType) ?? []), i]);
  });
  const free = input.units.map((u) => (Number.isFinite(u.free) ? Math.max(0, Math.floor(u.free)) : 0));
  const points = [input.arrival];
  const pointKey = (g: GeoPoint) => `${g.lat},${g.lon}`;
  const pointIndex = new Map([[pointKey(input.arrival), 0]]);
  const arrivalOf = input.patients.map((p) => {
    if (!p.arrival) return 0;
    const k = pointKey(p.arrival);
    let i = pointIndex.get(k);
    if (i === undefined) {
      i = points.length;
      pointIndex.set(k, i);
      points.push(p.arrival);
    }
    return i;
  });
  const minutes = points.map((at) => input.units.map((u) => travelMinutes(at, u, EVACUATION_MODE)));
  const accepts = input.patients.map((p) => [...new Set(p.need)].flatMap((t) => byType.get(t) ?? []).sort((a, b) => a - b));
  return { input, free, minutes, arrivalOf, accepts };
}

/** A unit the planners may use from arrival point `a`: a free bed and a known road time. */
const plannable = (s: Prepared, u: number, a: number): boolean => s.free[u] > 0 && s.minutes[a][u] !== null;

function reasonFor(s: Prepared, patient: number): UnplacedReason {
  const withBeds = s.accepts[patient].filter((u) => s.free[u] > 0);
  if (withBeds.length === 0) return 'no_accepting_unit';
  if (withBeds.every((u) => s.minutes[s.arrivalOf[patient]][u] === null)) return 'no_location';
  return 'capacity_exhausted';
}

/** The plan's output from one unit index (or −1) per patient. */
function buildPlan(s: Prepared, chosen: number[], method: EvacuationPlan['method']): EvacuationPlan {
  const units: EvacuationUnitLine[] = s.input.units.map((u, i) => ({
    key: u.key,
    unitType: u.unitType,
    minutes: s.minutes[0][i],
    freeBefore: s.free[i],
    assigned: 0,
    left: s.free[i],
    patientIds: [],
  }));
  const assignments: EvacuationAssignment[] = [];
  const unplaced: EvacuationUnplaced[] = [];
  let totalMinutes = 0;
  let maxMinutes = 0;
  s.input.patients.forEach((p, i) => {
    const u = chosen[i];
    if (u < 0) {
      unplaced.push({ patientId: p.id, need: [...p.need], reason: reasonFor(s, i) });
      return;
    }
    const line = units[u];
    const minutes = s.minutes[s.arrivalOf[i]][u] as number;
    line.assigned += 1;
    line.left -= 1;
    line.patientIds.push(p.id);
    assignments.push({ patientId: p.id, unitKey: line.key, unitType: line.unitType, minutes });
    totalMinutes += minutes;
    maxMinutes = Math.max(maxMinutes, minutes);
  });
  // The invariant every caller relies on; a failure here is a bug in a planner, not bad input.
  for (const l of units) if (l.left < 0) throw new Error(`evacuation plan: unit ${l.key} over capacity`);
  return { method, assignments, unplaced, units, placed: assignments.length, totalMinutes, maxMinutes };
}

/**
 * The greedy baseline, for comparison: each patient in input order goes to the nearest unit
 * (ties: input order) that accepts its need and still has a free bed.
 */
export function planEvacuationGreedy(input: EvacuationInput): EvacuationPlan {
  const s = prepare(input);
  const left = [...s.free];
  const chosen = s.accepts.map((units, p) => {
    const m = s.minutes[s.arrivalOf[p]];
    let best = -1;
    for (const u of units) {
      if (left[u] <= 0 || m[u] === null) continue;
      if (best < 0 || (m[u] as number) < (m[best] as number)) best = u;
    }
    if (best >= 0) left[best] -= 1;
    return best;
  });
  return buildPlan(s, chosen, 'greedy');
}

/**
 * The proposed plan: as many patients placed as the free beds allow, and among such plans
 * the least total road time from the arrival point (exact min-cost max-flow; see the top).
 */
export function planEvacuation(input: EvacuationInput): EvacuationPlan {
  const s = prepare(input);
  // Need classes: patients alighting at the same point and accepting the same set of plannable units, in order of first appearance.
  const classOf = new Map<string, number>();
  const classUnits: number[][] = [];
  const classPatients: number[][] = [];
  const classArrival: number[] = [];
  s.accepts.forEach((units, p) => {
    const a = s.arrivalOf[p];
    const usable = units.filter((u) => plannable(s, u, a));
    const key = `${a}|${usable.join(',')}`;
    let c = classOf.get(key);
    if (c === undefined) {
      c = classUnits.length;
      classOf.set(key, c);
      classUnits.push(usable);
      classPatients.push([]);
      classArrival.push(a);
    }
    classPatients[c].push(p);
  });

  const C = classUnits.length;
  const U = s.input.units.length;
  const source = 0;
  const classNode = (c: number) => 1 + c;
  const unitNode = (u: number) => 1 + C + u;
  const sink = 1 + C + U;
  const g = new FlowGraph(sink + 1);
  classPatients.forEach((ps, c) => g.addEdge(source, classNode(c), ps.length, 0));
  const classEdges: Array<Array<{ unit: number; edge: number }>> = classUnits.map((units, c) =>
    units.map((u) => ({ unit: u, edge: g.addEdge(classNode(c), unitNode(u), s.free[u], s.minutes[classArrival[c]][u] as number) })),
  );
  for (let u = 0; u < U; u++) if (s.free[u] > 0) g.addEdge(unitNode(u), sink, s.free[u], 0);
  g.minCostMaxFlow(source, sink);

  // Within a class: patients in input order, nearest of the class's beds first.
  const chosen = new Array<number>(s.input.patients.length).fill(-1);
  classEdges.forEach((edges, c) => {
    const m = s.minutes[classArrival[c]];
    const slots = edges
      .map(({ unit, edge }) => ({ unit, flow: g.flow(edge) }))
      .filter((e) => e.flow > 0)
      .sort((a, b) => (m[a.unit] as number) - (m[b.unit] as number) || a.unit - b.unit);
    let k = 0;
    for (const { unit, flow } of slots) for (let n = 0; n < flow; n++) chosen[classPatients[c][k++]] = unit;
  });
  return buildPlan(s, chosen, 'min_cost_flow');
}

/**
 * A residual graph with successive-shortest-path min-cost max-flow. Costs are non-negative
 * integers; Dijkstra runs on reduced costs c(u,v) + h(u) − h(v) ≥ 0, and after each search
 * h(v) += min(dist(v), dist(sink)), which keeps every residual reduced cost non-negative
 * (also for nodes the search did not reach). Dense O(V²) Dijkstra: V is ~100 here.
 */
class FlowGraph {
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly cost: number[] = [];
  private readonly initialCap: number[] = [];
  private readonly adj: number[][];

  constructor(private readonly n: number) {
    this.adj = Array.from({ length: n }, () => []);
  }

  /** Adds u → v and its residual twin; returns the forward edge's id (the twin is id ^ 1). */
  addEdge(u: number, v: number, capacity: number, cost: number): number {
    const id = this.to.length;
    this.to.push(v, u);
    this.cap.push(capacity, 0);
    this.initialCap.push(capacity, 0);
    this.cost.push(cost, -cost);
    this.adj[u].push(id);
    this.adj[v].push(id + 1);
    return id;
  }

  flow(edge: number): number {
    return this.initialCap[edge] - this.cap[edge];
  }

  minCostMaxFlow(s: number, t: number): { flow: number; cost: number } {
    const n = this.n;
    const h = new Array<number>(n).fill(0);
    let flow = 0;
    let cost = 0;
    for (;;) {
      const dist = new Array<number>(n).fill(Infinity);
      const via = new Array<number>(n).fill(-1);
      const done = new Array<boolean>(n).fill(false);
      dist[s] = 0;
      for (;;) {
        let u = -1;
        for (let v = 0; v < n; v++) if (!done[v] && dist[v] < Infinity && (u < 0 || dist[v] < dist[u])) u = v;
        if (u < 0) break;
        done[u] = true;
        for (const e of this.adj[u]) {
          if (this.cap[e] <= 0) continue;
          const v = this.to[e];
          const d = dist[u] + this.cost[e] + h[u] - h[v];
          if (d < dist[v]) {
            dist[v] = d;
            via[v] = e;
          }
        }
      }
      if (dist[t] === Infinity) return { flow, cost };
      for (let v = 0; v < n; v++) h[v] += Math.min(dist[v], dist[t]);
      let push = Infinity;
      for (let v = t; v !== s; v = this.to[via[v] ^ 1]) push = Math.min(push, this.cap[via[v]]);
      for (let v = t; v !== s; v = this.to[via[v] ^ 1]) {
        this.cap[via[v]] -= push;
        this.cap[via[v] ^ 1] += push;
        cost += push * this.cost[via[v]];
      }
      flow += push;
    }
  }
}
