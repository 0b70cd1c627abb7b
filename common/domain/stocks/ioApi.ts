/**
 * The stocks board's import and export calls (issue 9): a PUI software export read and
 * checked whole (`stocks.importPreview`), then queued (`stocks.importCommit`: all the file's
 * reports or none; with errors, only when the user keeps the valid lines); the grid and the
 * pivot as CSV or XLSX (`stocks.export`).
 */
import { z } from 'zod';
import { call, returns } from '../../engine/calls';

const ImportFile = {
  fileName: z.string().min(1).max(255),
  /** The file's raw bytes, base64 (UTF-8 with or without BOM, else Windows-1252). */
  contentBase64: z.string().max(28_000_000, 'fichier trop volumineux (20 Mo au plus)'),
};

export interface StockImportPreview {
  fileName: string;
  encoding: 'utf-8' | 'latin-1';
  separator: ';' | ',';
  /** Data lines read. */
  dataLines: number;
  /** Valid lines (ready to import). */
  valid: number;
  /** Reports they make (one per establishment and count time). */
  reports: number;
  establishments: number;
  fileErrors: string[];
  /** Every bad line with its reasons, by line number. */
  errors: Array<{ line: number; reasons: string[] }>;
  warnings: string[];
}

/** A file for the renderer to offer: text (CSV) or bytes (XLSX) as base64. */
export interface StockExportFile {
  fileName: string;
  mimeType: string;
  contentBase64: string;
}

export const stockIoCalls = {
  'stocks.importPreview': call(z.strictObject(ImportFile), returns<StockImportPreview>()),
  'stocks.importCommit': call(
    z.strictObject({ ...ImportFile, validOnly: z.boolean(), comment: z.string().trim().max(200).default('') }),
    returns<{ imported: number; skipped: number; reports: number }>(),
  ),
  'stocks.export': call(
    z.strictObject({ view: z.enum(['grid', 'pivot']), format: z.enum(['csv', 'xlsx']) }),
    returns<StockExportFile>(),
  ),
} as const;
