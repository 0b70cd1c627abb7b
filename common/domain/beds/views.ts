/** The views of the bed board the renderer receives (built in main from the cache). */
import type { UnitReport } from './model';

/** A unit's current figures with what the views need to place and name it. */
export interface UnitView extends UnitReport {
  /** A local report not yet confirmed by the server is shown on top. */
  pending: boolean;
  /** The FINESS name (tooltips, exports, EDXL). */
  establishmentName: string;
  /** What people call it (« Bichat (AP-HP) »): grid, map, lists, detail title. */
  establishmentShortName: string;
  city: string;
  dep: string;
  region: string;
  lat: number | null;
  lon: number | null;
}

/** A unit's identity: its id inside its establishment. */
export interface UnitRef {
  finess: string;
  unitId: string;
}

/**
 * The units whose visible figures changed since a counter value main gave before (a local
 * change counter per unit: a server row, a pending report, an overlay row gone each bump it).
 * `full`: the answer is the whole picture (asked from 0, or from a counter this cache never
 * gave): replace, do not merge.
 */
export interface UnitChangesView {
  full: boolean;
  units: UnitView[];
  /** Units no longer in the picture (a first report the server refused). */
  removed: UnitRef[];
  /** Ask from this value next time. */
  cursor: number;
}

export interface UnitHistory {
  reports: UnitReport[];
  /** False when the server could not be asked (offline): only what was cached is shown. */
  complete: boolean;
}

/** `beds.picture`: the units of some départements as they were (or are) at an instant. */
export interface UnitPicture {
  units: UnitView[];
  /** False when the server could not be asked (offline): built from what this cache knows. */
  complete: boolean;
  /** The server's clock when it answered; null offline. */
  serverTime: string | null;
}

export interface ImportLine {
  line: number;
  finess: string;
  establishmentName: string;
  unitType: string;
  installed: number;
  staffed: number;
  available: number;
}

export interface ImportPreview {
  fileName: string;
  encoding: 'utf-8' | 'latin-1';
  separator: ',' | ';';
  /** Data lines read (the header excluded). */
  lines: number;
  valid: ImportLine[];
  /** Every bad line with its number and a French reason; nothing is imported while any exist unless the user asks for the valid lines only. */
  errors: Array<{ line: number; reason: string }>;
  /** Plausible but notable (a jump of more than 4 beds, a restored FINESS, figures without a date): to be read before importing. */
  warnings: Array<{ line: number; reason: string }>;
  /** How many valid lines jump by more than 4 beds: importing them takes an explicit confirmation. */
  jumps: number;
}

export interface ExportFile {
  fileName: string;
  mimeType: string;
  content: string;
}
