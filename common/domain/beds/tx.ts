/**
 * The bed board's transaction slice. Reads see everything the process holds for this user
 * (on the client: the server's rows with pending reports on top). Writes carry `version: 0`.
 */
import type { UnitReport } from './model';

export interface BedsTx {
  /** The current figures of a unit: its latest report by observation time (a pending one on top, on the client, when not older). */
  getCurrentReport(finess: string, unitId: string): UnitReport | undefined;
  getReport(id: string): UnitReport | undefined;
  /** Appends a report to the unit's history; it becomes the unit's current figures unless it was observed before them. */
  insertReport(report: UnitReport): void;
}
