/**
 * The stocks board's part of ConsoleApi: the board (establishments × molecules with their
 * cover), the pharmacist's quick form (every presentation with its current count) and its
 * report, and this workstation's cover thresholds.
 */
import { z } from 'zod';
import { call, returns, NoArgs, type MutationReceipt } from '../../engine/calls';
import type { MoleculeCell, CoverLevel } from './cover';
import { CoverThresholdsSchema, StockEntryArgs, type CoverThresholds, type StockLine } from './model';
import { stockIoCalls } from './ioApi';
import { MOLECULE_CODES, type Molecule, type MoleculeCode, type Presentation } from './products';
import { redeployCalls } from './redeployApi';
import type { ChartForecasts, StockChartSeries } from './series';

/** One establishment's row of the board: per molecule, its totals (absent: never reported). */
export interface EstablishmentStocks {
  finess: string;
  name: string;
  fullName: string;
  dep: string;
  depName: string;
  region: string;
  regionName: string;
  molecules: Partial<Record<MoleculeCode, MoleculeCell>>;
  /** The worst level of its molecules. */
  level: CoverLevel;
  latestAt: string;
  /** True while a local report of it waits for the server. */
  pending: boolean;
}

export interface StocksBoardView {
  rows: EstablishmentStocks[];
  molecules: Molecule[];
  thresholds: CoverThresholds;
  /** The establishment whose stock the signed-in user reports (a PUI), or null. */
  reportsFor: string | null;
  /** True for the national cell (corrections, the molecules × régions pivot). */
  national: boolean;
}

/** A presentation in the quick form, with its current count at the establishment. */
export interface FormPresentation extends Presentation {
  current: Pick<StockLine, 'onHand' | 'used7d' | 'dailyUse' | 'daysOut' | 'delivered' | 'at'> | null;
}

export interface StockFormView {
  finess: string;
  establishmentName: string;
  molecules: Array<Molecule & { presentations: FormPresentation[] }>;
}

/** The stock chart of a place: its daily series (built on the server) and both projected stock-outs. */
export interface StockChartView extends StockChartSeries, ChartForecasts {
  place: string;
  molecule: MoleculeCode;
}

export const stockCalls = {
  ...stockIoCalls,
  'stocks.board': call(NoArgs, returns<StocksBoardView>()),
  'stocks.form': call(z.strictObject({ finess: z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, 'numéro FINESS à 9 caractères attendu') }), returns<StockFormView>()),
  'stocks.report': call(StockEntryArgs, returns<MutationReceipt>()),
  /** An establishment's counts over time, asked of the server (the cache holds current lines only); online only. */
  'stocks.history': call(
    z.strictObject({
      finess: z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, 'numéro FINESS à 9 caractères attendu'),
      cip13: z.string().regex(/^\d{13}$/, 'code CIP13 à 13 chiffres attendu').optional(),
      molecule: z.enum(MOLECULE_CODES).optional(),
      days: z.number().int().min(1).max(365).optional(),
    }),
    returns<StockLine[]>(),
  ),
  /** A place's chart (`FR`, `R:<région>`, `E:<FINESS>`) for one molecule over the last `days` days; online only. */
  'stocks.chart': call(
    z.strictObject({
      place: z.string().regex(/^(FR|R:[0-9]{2}|E:[0-9][0-9AB][0-9]{7})$/, 'lieu attendu : FR, R:<région> ou E:<FINESS>'),
      molecule: z.enum(MOLECULE_CODES),
      days: z.number().int().min(7).max(90).optional(),
    }),
    returns<StockChartView>(),
  ),
  'stocks.settings': call(NoArgs, returns<CoverThresholds>()),
  'stocks.setSettings': call(CoverThresholdsSchema, returns<CoverThresholds>()),
  ...redeployCalls,
} as const;
