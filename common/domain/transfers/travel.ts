/**
 * A documented estimate of travel time between two establishments, per transport mode.
 *
 * These are PLANNING ESTIMATES, not routing: Vigie has no road graph, timetable or flight
 * plan, and a regulator needs an order of magnitude to rank candidate units and to plan an
 * evacuation, not an itinerary. The estimate is
 *
 *     minutes = great-circle km × detour factor ÷ average speed × 60 + fixed overheads
 *
 * The great-circle distance is hand-written (haversine, a few lines) rather than taken from
 * a geodesy library: `common/` imports nothing but zod (tests/unit/common/boundaries.test.ts),
 * and on a sphere of mean radius the error against the WGS84 ellipsoid (≤ 0.5 %) is far
 * below the uncertainty of the speeds below.
 *
 * Every figure is a named constant with its basis, so it can be argued with and changed in
 * one place. Missing coordinates give `null` (unknown), never a guess.
 */

/** The transport modes of a transfer (issue 8: SMUR terrestre, ambulance, hélicoptère, avion, train, bateau). */
export type TravelMode = 'smur' | 'ambulance' | 'helicoptere' | 'avion' | 'train' | 'bateau';

export const TRAVEL_MODES: readonly TravelMode[] = ['smur', 'ambulance', 'helicoptere', 'avion', 'train', 'bateau'];

/** A WGS84 point; FINESS establishments without geocoding carry nulls. */
export interface GeoPoint {
  lat: number | null;
  lon: number | null;
}

/** IUGG mean Earth radius (km): the sphere that best fits the WGS84 ellipsoid on average. */
export const EARTH_RADIUS_KM = 6371.0088;

/**
 * Road distance ÷ great-circle distance. Measured circuity of road networks is 1.2–1.4
 * (Ballou et al. 2002, ~1.2–1.3 in Europe; Boscoe et al. 2012, 1.42 on average in the US,
 * lower over long distances); 1.3 is the usual planning figure for France's dense network.
 */
export const ROAD_DETOUR = 1.3;

/** Rail distance ÷ great-circle: high-speed lines are straighter than roads, but the trains also use classic lines and junctions. */
export const RAIL_DETOUR = 1.25;

/** Air distance ÷ great-circle: departure and arrival procedures and airways add a little (5–10 %). */
export const AIR_DETOUR = 1.08;

/** Sea distance ÷ great-circle: coastal routing around capes and port approaches. */
export const SEA_DETOUR = 1.3;

/**
 * SMUR (mobile ICU, lights and siren) average door-to-door speed on mixed roads: 70–80 km/h
 * is the figure SAMU regulators use for inter-hospital transfers (motorway ~110, towns ~40,
 * and a ventilated patient limits braking and cornering).
 */
export const SMUR_SPEED_KMH = 75;

/** Ambulance without priority (ambulance privée, VSAV on a planned transfer): the traffic's own average on mixed roads, ~60 km/h. */
export const AMBULANCE_SPEED_KMH = 60;

/** Medical helicopter cruise (EC135 / H135: ~220–250 km/h); 220 allows for climb, descent and wind. */
export const HELICOPTER_SPEED_KMH = 220;

/**
 * Medical aircraft block speed (take-off to landing) over French domestic distances: jets
 * (Falcon, A330 MRTT "Morphée") cruise at 750–850 km/h but spend a large share of a
 * 300–800 km flight climbing and descending; turboprops (CASA, Beech 200) cruise ~450.
 */
export const AIRCRAFT_SPEED_KMH = 500;

/**
 * Medicalised TGV average over the journey: 300 km/h on high-speed lines, far less on the
 * classic lines and junctions the 2020 trains also used (Strasbourg → Nantes/Angers took
 * ~5 h for ~700 km, i.e. ~140–160 km/h; Paris → Bordeaux ~2 h 40 for 500 km).
 */
export const TRAIN_SPEED_KMH = 160;

/** Amphibious helicopter carrier (Mistral class: Dixmude, Tonnerre) at ~15 knots (max ~18.8 kn); 15 kn ≈ 28 km/h. */
export const SHIP_SPEED_KMH = 28;

/** SMUR: patient conditioning and loading at the origin unit plus hand-over at the destination (~10 + ~10 min). */
export const SMUR_OVERHEAD_MIN = 20;

/** Ambulance: loading and hand-over of a stable patient (~5 + ~5 min). */
export const AMBULANCE_OVERHEAD_MIN = 10;

/**
 * Helicopter: ~15 min ground time at the origin (start-up, loading, take-off) and ~15 min at
 * the destination (landing, transfer from the helipad to the unit). Over a few kilometres a
 * SMUR is therefore faster, as it is in practice.
 */
export const HELICOPTER_OVERHEAD_MIN = 30;

/**
 * Aircraft: two road legs hospital ↔ airport (~30 min each, SMUR), boarding with ground
 * handling and taxi (~45 min) and unloading (~30 min).
 */
export const AIRCRAFT_OVERHEAD_MIN = 2 * 30 + 45 + 30;

/**
 * Train: two road legs hospital ↔ station (~30 min each), boarding ventilated patients car by
 * car (~60 min in 2020: about twenty patients a train) and unloading (~45 min).
 */
export const TRAIN_OVERHEAD_MIN = 2 * 30 + 60 + 45;

/**
 * Ship: two road legs hospital ↔ port (~30 min each), boarding (~60 min, often by
 * helicopter or lift) and unloading (~60 min).
 */
export const SHIP_OVERHEAD_MIN = 2 * 30 + 60 + 60;

export interface TravelProfile {
  /** Distance travelled ÷ great-circle distance. */
  detour: number;
  /** Average speed over the travelled distance. */
  speedKmh: number;
  /** Fixed minutes independent of distance: loading, take-off, road legs to and from a station, airport or port. */
  overheadMin: number;
}

/** The figures of each mode, from the constants above. */
export const TRAVEL_PROFILES: Readonly<Record<TravelMode, TravelProfile>> = {
  smur: { detour: ROAD_DETOUR, speedKmh: SMUR_SPEED_KMH, overheadMin: SMUR_OVERHEAD_MIN },
  ambulance: { detour: ROAD_DETOUR, speedKmh: AMBULANCE_SPEED_KMH, overheadMin: AMBULANCE_OVERHEAD_MIN },
  helicoptere: { detour: AIR_DETOUR, speedKmh: HELICOPTER_SPEED_KMH, overheadMin: HELICOPTER_OVERHEAD_MIN },
  avion: { detour: AIR_DETOUR, speedKmh: AIRCRAFT_SPEED_KMH, overheadMin: AIRCRAFT_OVERHEAD_MIN },
  train: { detour: RAIL_DETOUR, speedKmh: TRAIN_SPEED_KMH, overheadMin: TRAIN_OVERHEAD_MIN },
  bateau: { detour: SEA_DETOUR, speedKmh: SHIP_SPEED_KMH, overheadMin: SHIP_OVERHEAD_MIN },
};

function coordinates(p: GeoPoint): { lat: number; lon: number } | null {
  const { lat, lon } = p;
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

/** Great-circle distance in km (haversine on the mean sphere), or null when either point has no coordinates. */
export function greatCircleKm(from: GeoPoint, to: GeoPoint): number | null {
  const a = coordinates(from);
  const b = coordinates(to);
  if (!a || !b) return null;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Estimated door-to-door minutes from `from` to `to` by `mode`, rounded to the whole
 * minute (the estimate is no finer), or null when either point has no coordinates.
 * Two points at the same place still cost the mode's fixed overhead.
 */
export function travelMinutes(from: GeoPoint, to: GeoPoint, mode: TravelMode): number | null {
  const km = greatCircleKm(from, to);
  if (km === null) return null;
  const p = TRAVEL_PROFILES[mode];
  return Math.round((km * p.detour * 60) / p.speedKmh + p.overheadMin);
}
