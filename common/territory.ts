/**
 * Territories and roles: France → regions (ARS) → départements (SAMU) → establishments and
 * field posts. Runs anywhere.
 *
 * A territory is named by a key: `FR`, `R:<region>`, `D:<département>`, `E:<FINESS>` or
 * `F:<field post>`; `SR:<département>` names no user's territory but a scope: the SAMU's
 * reinforcement room (see `reinforcementRoomOf`). Its *path* lists the keys from France
 * down to it. Two territories see each other's data when one path is a prefix of the other:
 * a national user sees everything, an ARS sees its region and what is under it plus
 * national items, a SAMU its département, its region's and national items. Nothing
 * crosses between sibling branches.
 */
import { csvObjects, parseCsv } from './csv';
import { shortNamesFor } from './establishmentNames';
import { fr } from './i18n/fr';

export type TerritoryKey = string;

export type TerritoryKind = 'country' | 'region' | 'departement' | 'establishment' | 'field' | 'room';

export interface Region {
  code: string;
  name: string;
}
export interface Departement {
  code: string;
  name: string;
  region: string;
}
export interface Establishment {
  finess: string;
  dep: string;
  /** The FINESS name as the register spells it (tooltips, exports, EDXL). */
  name: string;
  /** What people call it (« Bichat (AP-HP) »), unique in its département: `establishmentNames.ts` (read-only). */
  shortName: string;
  city: string;
  lat: number | null;
  lon: number | null;
}

export interface TerritoryInfo {
  key: TerritoryKey;
  kind: TerritoryKind;
  /** Short French label, e.g. "ARS Île-de-France", "SAMU 75 — Paris". */
  label: string;
  /** Keys from `FR` down to this territory, inclusive. */
  path: TerritoryKey[];
}

export const COUNTRY: TerritoryKey = 'FR';

/** Field post ids start with their département code: `75-PMA-GARE-DE-LYON`. */
export const FIELD_POST_ID = /^(2A|2B|97[1-6]|\d{2})-[A-Z0-9][A-Z0-9-]{0,39}$/;
export const FINESS_ID = /^[0-9][0-9AB][0-9]{7}$/;

export type Role =
  | { kind: 'national' }
  | { kind: 'ars'; region: string }
  | { kind: 'samu'; dep: string }
  /** `pui`: the establishment's hospital pharmacy (`pui:<FINESS>`), which alone reports its stocks; otherwise it acts as its establishment. */
  | { kind: 'establishment'; finess: string; pui?: true }
  | { kind: 'field'; post: string };

export type RoleKind = Role['kind'];

/** Parses `national`, `ars:11`, `samu:75`, `establishment:750100125`, `pui:750100125`, `field:75-PMA1`. */
export function parseRole(text: string): Role | null {
  if (text === 'national') return { kind: 'national' };
  const idx = text.indexOf(':');
  if (idx < 0) return null;
  const kind = text.slice(0, idx);
  const id = text.slice(idx + 1);
  switch (kind) {
    case 'ars':
      return /^\d{2}$/.test(id) ? { kind: 'ars', region: id } : null;
    case 'samu':
      return /^(2A|2B|97[1-6]|\d{2})$/.test(id) ? { kind: 'samu', dep: id } : null;
    case 'establishment':
      return FINESS_ID.test(id) ? { kind: 'establishment', finess: id } : null;
    case 'pui':
      return FINESS_ID.test(id) ? { kind: 'establishment', finess: id, pui: true } : null;
    case 'field':
      return FIELD_POST_ID.test(id) ? { kind: 'field', post: id } : null;
    default:
      return null;
  }
}

export function formatRole(role: Role): string {
  switch (role.kind) {
    case 'national':
      return 'national';
    case 'ars':
      return `ars:${role.region}`;
    case 'samu':
      return `samu:${role.dep}`;
    case 'establishment':
      return role.pui ? `pui:${role.finess}` : `establishment:${role.finess}`;
    case 'field':
      return `field:${role.post}`;
  }
}

export function roleTerritory(role: Role): TerritoryKey {
  switch (role.kind) {
    case 'national':
      return COUNTRY;
    case 'ars':
      return `R:${role.region}`;
    case 'samu':
      return `D:${role.dep}`;
    case 'establishment':
      return `E:${role.finess}`;
    case 'field':
      return `F:${role.post}`;
  }
}

/**
 * The scope of a SAMU's reinforcement room (salle de renfort): `SR:<dep>`, a territory just
 * below the département that no role holds. Rows scoped to it are on the branch of the
 * SAMU, its ARS and the national level (their paths are its ancestors), and on nobody
 * else's: not the establishments or field posts of the département (siblings below it),
 * not another SAMU or ARS.
 */
export function reinforcementRoomOf(samuTerritory: TerritoryKey): TerritoryKey {
  return `SR:${samuTerritory.startsWith('D:') ? samuTerritory.slice(2) : samuTerritory}`;
}

/**
 * Private scopes: `~<key>` (`~E:750100125`, `~D:75`) names the rows seen by the users whose own
 * territory is `<key>` and by no one else, not even its ancestors (a transfer's clinical
 * summary: its parties, not their ARS or the national cell). Its path is a root of its own,
 * `/~E:750100125/`, outside `/FR/`, so no branch covers it; the engine adds it to what each
 * user's pulls and pokes test (`sync-server/src/scope.ts`). No message or role is ever
 * addressed to one: `info` and `path` do not know them, `scopePath` does.
 */
export const PRIVATE_MARK = '~';

/** The private scope of a territory: `E:750100125` → `~E:750100125`. */
export function privateScope(key: TerritoryKey): TerritoryKey {
  return `${PRIVATE_MARK}${key}`;
}

/** The private path of the users whose own path is `path`: `/FR/R:11/D:75/` → `/~D:75/`. */
export function privatePathOf(path: string): string {
  const last = path.slice(path.lastIndexOf('/', path.length - 2) + 1, -1);
  return `/${PRIVATE_MARK}${last}/`;
}

/**
 * The private path whose rows a user sees: its own territory's, except for a hospital
 * pharmacy (PUI) account, which shares its establishment's territory for stocks but is no
 * party to what is private to the establishment (a transfer's clinical summary): none.
 */
export function privatePathOfRole(role: Role, path: string): string | null {
  return role.kind === 'establishment' && role.pui ? null : privatePathOf(path);
}

/** The path as one string, `/FR/R:11/D:75/`: a prefix test on it is an ancestry test. */
export function pathString(path: readonly TerritoryKey[]): string {
  return `/${path.join('/')}/`;
}

/** True when one path string is a prefix of the other (same branch of the tree). */
export function sameBranch(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** True when `inner` is `outer` or below it. */
export function isWithin(inner: string, outer: string): boolean {
  return inner.startsWith(outer);
}

/** The referential of territories, built from the bundled CSV rows. Pure and immutable. */
export class Territories {
  private readonly regions = new Map<string, Region>();
  private readonly deps = new Map<string, Departement>();
  private readonly establishments = new Map<string, Establishment>();
  private readonly depsByRegion = new Map<string, Departement[]>();
  private readonly establishmentsByDep = new Map<string, Establishment[]>();
  private readonly neighbours = new Map<string, string[]>();

  constructor(regions: Region[], deps: Departement[], establishments: Establishment[], borders: ReadonlyArray<readonly [string, string]> = []) {
    for (const [a, b] of borders) {
      this.neighbours.set(a, [...(this.neighbours.get(a) ?? []), b]);
      this.neighbours.set(b, [...(this.neighbours.get(b) ?? []), a]);
    }
    for (const r of regions) this.regions.set(r.code, r);
    for (const d of deps) {
      if (!this.regions.has(d.region)) throw new Error(`département ${d.code}: unknown region ${d.region}`);
      this.deps.set(d.code, d);
      const list = this.depsByRegion.get(d.region) ?? [];
      list.push(d);
      this.depsByRegion.set(d.region, list);
    }
    for (const e of establishments) {
      if (!this.deps.has(e.dep)) continue; // outside the 101 départements (e.g. Saint-Pierre-et-Miquelon)
      this.establishments.set(e.finess, e);
      const list = this.establishmentsByDep.get(e.dep) ?? [];
      list.push(e);
      this.establishmentsByDep.set(e.dep, list);
    }
  }

  regionList(): Region[] {
    return [...this.regions.values()];
  }
  /** The same referential, knowing which départements border each other. */
  withBorders(borders: ReadonlyArray<readonly [string, string]>): Territories {
    for (const [a, b] of borders) if (!this.deps.has(a) || !this.deps.has(b)) throw new Error(`neighbours: unknown département in ${a},${b}`);
    return new Territories(this.regionList(), this.departementList(), [...this.establishments.values()], borders);
  }
  /** The départements sharing a border with `dep`, by code (none for an island). */
  neighboursOf(dep: string): string[] {
    return [...(this.neighbours.get(dep) ?? [])].sort();
  }
  departementList(): Departement[] {
    return [...this.deps.values()];
  }
  establishmentCount(): number {
    return this.establishments.size;
  }
  establishment(finess: string): Establishment | undefined {
    return this.establishments.get(finess);
  }
  departement(code: string): Departement | undefined {
    return this.deps.get(code);
  }
  region(code: string): Region | undefined {
    return this.regions.get(code);
  }

  /** Resolves a key to its path and label, or null when the key names nothing we know. */
  info(key: TerritoryKey): TerritoryInfo | null {
    if (key === COUNTRY) return { key, kind: 'country', label: fr.territory.country, path: [COUNTRY] };
    const idx = key.indexOf(':');
    const kind = key.slice(0, idx);
    const id = key.slice(idx + 1);
    switch (kind) {
      case 'R': {
        const r = this.regions.get(id);
        return r ? { key, kind: 'region', label: fr.territory.region(r.name), path: [COUNTRY, key] } : null;
      }
      case 'D': {
        const d = this.deps.get(id);
        return d
          ? { key, kind: 'departement', label: fr.territory.departement(d.code, d.name), path: [COUNTRY, `R:${d.region}`, key] }
          : null;
      }
      case 'E': {
        const e = this.establishments.get(id);
        if (!e) return null;
        const d = this.deps.get(e.dep);
        if (!d) return null;
        return { key, kind: 'establishment', label: e.shortName, path: [COUNTRY, `R:${d.region}`, `D:${d.code}`, key] };
      }
      case 'F': {
        if (!FIELD_POST_ID.test(id)) return null;
        const dep = id.slice(0, id.indexOf('-'));
        const d = this.deps.get(dep);
        if (!d) return null;
        return { key, kind: 'field', label: fr.territory.field(id), path: [COUNTRY, `R:${d.region}`, `D:${d.code}`, key] };
      }
      case 'SR': {
        const d = this.deps.get(id);
        return d ? { key, kind: 'room', label: fr.territory.room(d.code), path: [COUNTRY, `R:${d.region}`, `D:${d.code}`, key] } : null;
      }
      default:
        return null;
    }
  }

  path(key: TerritoryKey): string | null {
    const i = this.info(key);
    return i ? pathString(i.path) : null;
  }

  /**
   * The path a row scoped to `key` is logged under: a territory's path, or for a private
   * scope (`~E:…`, of a known territory) its own root path `/~E:…/`; null when unknown.
   */
  scopePath(key: TerritoryKey): string | null {
    if (!key.startsWith(PRIVATE_MARK)) return this.path(key);
    const inner = key.slice(PRIVATE_MARK.length);
    return this.info(inner) ? pathString([key]) : null;
  }

  label(key: TerritoryKey): string {
    return this.info(key)?.label ?? key;
  }

  /**
   * The territories expected to acknowledge a consigne addressed to `key`: the level just
   * below it (the ARS for a national consigne, the SAMU for a regional one, the
   * establishments for a local one).
   */
  expectedAcknowledgers(key: TerritoryKey): TerritoryKey[] {
    const info = this.info(key);
    if (!info) return [];
    switch (info.kind) {
      case 'country':
        return [...this.regions.keys()].map((c) => `R:${c}`);
      case 'region':
        return (this.depsByRegion.get(key.slice(2)) ?? []).map((d) => `D:${d.code}`);
      case 'departement':
        return (this.establishmentsByDep.get(key.slice(2)) ?? []).map((e) => `E:${e.finess}`);
      default:
        return [];
    }
  }

  /** The establishments inside a territory (every one for `FR`); empty for an unknown key or a field post. */
  establishmentsIn(key: TerritoryKey = COUNTRY): Establishment[] {
    const info = this.info(key);
    if (!info) return [];
    switch (info.kind) {
      case 'country':
        return [...this.establishments.values()];
      case 'region':
        return (this.depsByRegion.get(key.slice(2)) ?? []).flatMap((d) => this.establishmentsByDep.get(d.code) ?? []);
      case 'departement':
        return [...(this.establishmentsByDep.get(key.slice(2)) ?? [])];
      case 'establishment': {
        const e = this.establishments.get(key.slice(2));
        return e ? [e] : [];
      }
      default:
        return [];
    }
  }

  /** The territories a role may address a message to, broadest first. */
  postableTerritories(role: Role): TerritoryKey[] {
    switch (role.kind) {
      case 'national':
        return [COUNTRY, ...[...this.regions.keys()].map((c) => `R:${c}`), ...[...this.deps.keys()].map((c) => `D:${c}`)];
      case 'ars':
        return [`R:${role.region}`, ...(this.depsByRegion.get(role.region) ?? []).map((d) => `D:${d.code}`)];
      case 'samu':
        return [`D:${role.dep}`];
      case 'establishment': {
        const e = this.establishments.get(role.finess);
        return e ? [`D:${e.dep}`] : [];
      }
      case 'field': {
        const dep = role.post.slice(0, role.post.indexOf('-'));
        return this.deps.has(dep) ? [`D:${dep}`] : [];
      }
    }
  }
}

/** Builds the referential from the three bundled CSV files (already parsed to objects). */
export function territoriesFromRows(
  regionRows: Array<Record<string, string>>,
  depRows: Array<Record<string, string>>,
  finessRows: Array<Record<string, string>>,
  /** Short names computed beforehand (`etablissements_noms_courts.csv`), by FINESS. */
  shipped: ReadonlyMap<string, string> = new Map(),
): Territories {
  const regions = regionRows.map((r) => ({ code: req(r, 'region'), name: req(r, 'region_nom') }));
  const deps = depRows.map((d) => ({ code: req(d, 'dep'), name: req(d, 'dep_nom'), region: req(d, 'region') }));
  const depCodes = new Set(deps.map((d) => d.code));
  const rows = finessRows.map((e) => {
    let dep = req(e, 'dep');
    // FINESS files use "970" for several overseas départements: the postcode tells which.
    if (!depCodes.has(dep)) dep = (e.postcode ?? '').slice(0, 3);
    const lat = Number.parseFloat(e.lat ?? '');
    const lon = Number.parseFloat(e.lon ?? '');
    return {
      finess: req(e, 'finess_et'),
      dep,
      name: req(e, 'name'),
      city: e.city ?? '',
      lat: Number.isFinite(lat) ? lat : null,
      lon: Number.isFinite(lon) ? lon : null,
    };
  });
  // Short names are shipped computed; one missing (a referential without the file) is
  // computed once per département, on the first read of one of its names, as they are told
  // apart inside a département.
  const byDep = new Map<string, typeof rows>();
  for (const e of rows) byDep.set(e.dep, [...(byDep.get(e.dep) ?? []), e]);
  const shortByDep = new Map<string, Map<string, string>>();
  const shortOf = (e: (typeof rows)[number]): string => {
    const done = shipped.get(e.finess);
    if (done !== undefined) return done;
    let names = shortByDep.get(e.dep);
    if (!names) {
      names = shortNamesFor(byDep.get(e.dep) ?? [e]);
      shortByDep.set(e.dep, names);
    }
    return names.get(e.finess) ?? e.name;
  };
  const establishments: Establishment[] = rows.map((e) =>
    Object.defineProperty({ ...e }, 'shortName', { get: () => shortOf(e), enumerable: true }) as Establishment,
  );
  return new Territories(regions, deps, establishments);
}

function req(row: Record<string, string>, col: string): string {
  const v = row[col];
  if (v === undefined || v === '') throw new Error(`referential: column ${col} missing on line ${row._line ?? '?'}`);
  return v;
}

/** The bundled referential files, by name, inside `resources/referential/`. */
export const REFERENTIAL_FILES = {
  regions: 'regions.csv',
  departements: 'departements_regions.csv',
  establishments: 'finess_mco_fr_2020-03.csv',
  neighbours: 'departements_voisins.csv',
  shortNames: 'etablissements_noms_courts.csv',
} as const;

/** Pairs of bordering départements from `departements_voisins.csv` (`dep_a,dep_b`). */
export function bordersFromCsv(text: string): Array<[string, string]> {
  return csvObjects(parseCsv(text)).map((r) => [req(r, 'dep_a'), req(r, 'dep_b')]);
}

/** Builds the referential from the text of the three bundled CSV files. */
export function territoriesFromCsv(texts: { regions: string; departements: string; establishments: string; neighbours?: string; shortNames?: string }): Territories {
  const shipped = new Map<string, string>();
  if (texts.shortNames !== undefined) for (const r of csvObjects(parseCsv(texts.shortNames))) shipped.set(req(r, 'finess_et'), req(r, 'short_name'));
  const t = territoriesFromRows(
    csvObjects(parseCsv(texts.regions)),
    csvObjects(parseCsv(texts.departements)),
    csvObjects(parseCsv(texts.establishments)),
    shipped,
  );
  return texts.neighbours === undefined ? t : t.withBorders(bordersFromCsv(texts.neighbours));
}

/** Loads the referential through a file reader (each process brings its own file system). */
export function loadTerritories(readText: (fileName: string) => string): Territories {
  return territoriesFromCsv({
    regions: readText(REFERENTIAL_FILES.regions),
    departements: readText(REFERENTIAL_FILES.departements),
    establishments: readText(REFERENTIAL_FILES.establishments),
    neighbours: readText(REFERENTIAL_FILES.neighbours),
    shortNames: readText(REFERENTIAL_FILES.shortNames),
  });
}

/** The short names file's text, computed from the FINESS file by the rules (`scripts/make-short-names.ts`). */
export function shortNamesCsv(readText: (fileName: string) => string): string {
  const t = territoriesFromCsv({
    regions: readText(REFERENTIAL_FILES.regions),
    departements: readText(REFERENTIAL_FILES.departements),
    establishments: readText(REFERENTIAL_FILES.establishments),
  });
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = t
    .establishmentsIn(COUNTRY)
    .map((e) => `${e.finess},${quote(e.shortName)}`)
    .sort();
  return `finess_et,short_name\n${lines.join('\n')}\n`;
}
