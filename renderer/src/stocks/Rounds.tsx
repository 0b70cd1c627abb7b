/**
 * National allocation rounds in the stocks board (issue 9). « Allocations » (national cell):
 * molecule, delivered presentation, supply, target days, COVID+ weighting; the proposal with
 * every input and intermediate figure per line and the totals; quotas editable, re-checked
 * live (what is left, what is wrong); « Valider ». Then the validated rounds with their
 * confirmations per line. « Dotations » (establishments, their PUI, ARS, SAMU): the lines
 * this user sees, and for an establishment « Confirmer la réception ».
 */
import { useEffect, useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { fr } from '../../../common/i18n/fr';
import { adjustmentProblemText, type AllocationLine } from '../../../common/domain/stocks/allocation';
import { DEFAULT_TARGET_DAYS } from '../../../common/domain/stocks/rounds';
import { MOLECULES } from '../../../common/domain/stocks/products';
import { parseFrenchNumber } from '../../../common/domain/stocks/model';
import type { RoundLineView, RoundView } from '../../../common/domain/stocks/roundsApi';
import { call } from '../app/call';
import { downloadBytes } from '../app/download';
import { adjusted, useRounds } from './roundsStore';
import { RoundChart } from './RoundChart';
import type { RoundChartLine } from './roundChartSeries';
import './rounds.css';

const t = ui.allocations;
const num = (n: number | null, digits = 1) => (n === null ? t.unknown : n.toLocaleString('fr-FR', { maximumFractionDigits: digits }));
const when = (iso: string) => new Date(iso).toLocaleString('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

function useRoundsLoaded() {
  const load = useRounds((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
}

function ProposalForm() {
  const view = useRounds((s) => s.view);
  const propose = useRounds((s) => s.propose);
  const [molecule, setMolecule] = useState('propofol');
  const [cip13, setCip13] = useState('');
  const [supply, setSupply] = useState('');
  const [days, setDays] = useState(String(DEFAULT_TARGET_DAYS));
  const [weight, setWeight] = useState(true);
  const [busy, setBusy] = useState(false);
  const presentations = view?.molecules.find((m) => m.code === molecule)?.presentations ?? [];
  const chosen = presentations.some((p) => p.cip13 === cip13) ? cip13 : (presentations[0]?.cip13 ?? '');
  return (
    <form
      className="alloc-form"
      data-testid="alloc-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        const supplyUnits = parseFrenchNumber(supply) ?? Number.NaN;
        const targetDays = parseFrenchNumber(days) ?? Number.NaN;
        void propose({ cip13: chosen, supplyUnits, targetDays, weightByOccupancy: weight }).finally(() => setBusy(false));
      }}
    >
      <h2>{t.title}</h2>
      <p className="muted small">{t.help}</p>
      <div className="alloc-fields">
        <label>
          {t.molecule}
          <select value={molecule} onChange={(e) => setMolecule(e.target.value)} data-testid="alloc-molecule">
            {view?.molecules.map((m) => (
              <option key={m.code} value={m.code}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.presentation}
          <select value={chosen} onChange={(e) => setCip13(e.target.value)} data-testid="alloc-presentation">
            {presentations.map((p) => (
              <option key={p.cip13} value={p.cip13}>
                {p.label} ({t.mgPerUnit(`${num(p.mgPerUnit)} mg`)})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.supply}
          <input type="text" inputMode="numeric" size={8} value={supply} onChange={(e) => setSupply(e.target.value)} data-testid="alloc-supply" required />
        </label>
        <label>
          {t.targetDays}
          <input type="text" inputMode="decimal" size={4} value={days} onChange={(e) => setDays(e.target.value)} data-testid="alloc-days" />
        </label>
        <label className="alloc-check">
          <input type="checkbox" checked={weight} onChange={(e) => setWeight(e.target.checked)} data-testid="alloc-weight" /> {t.weight}
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !chosen} data-testid="alloc-propose">
          {busy ? t.proposing : t.propose}
        </button>
      </div>
    </form>
  );
}

function Figures({ l }: { l: AllocationLine }) {
  return (
    <>
      <td className="num">{num(l.onHandMg, 0)}</td>
      <td className="num">{num(l.dailyUseMg, 0)}</td>
      <td className="num">{num(l.coverDaysBefore)}</td>
      <td className="num">{l.covidOccupied === null ? '—' : l.covidOccupied}</td>
      <td className="num">{num(l.weight, 3)}</td>
      <td className="num">{l.needKnown ? num(l.needMg, 0) : t.unknownNeed}</td>
      <td className="num">{l.needUnits}</td>
      <td className="num">{(l.share * 100).toLocaleString('fr-FR', { maximumFractionDigits: 2 })} %</td>
      <td className="num">{num(l.rawQuota, 3)}</td>
      <td className="num">{l.floorUnits}</td>
      <td className="num">{num(l.remainder, 3)}</td>
      <td className="num">{l.remainderRank ?? '—'}</td>
      <td className="num">{l.bonusUnit ? '+1' : ''}</td>
      <td className="num">{l.quota}</td>
    </>
  );
}

function FigureHeads() {
  const c = t.col;
  const tip = t.colTip;
  return (
    <>
      <th scope="col">{c.onHand}</th>
      <th scope="col">{c.daily}</th>
      <th scope="col" title={tip.coverBefore}>{c.coverBefore}</th>
      <th scope="col">{c.covid}</th>
      <th scope="col" title={tip.weight}>{c.weight}</th>
      <th scope="col" title={tip.needMg}>{c.needMg}</th>
      <th scope="col" title={tip.needUnits}>{c.needUnits}</th>
      <th scope="col" title={tip.share}>{c.share}</th>
      <th scope="col" title={tip.raw}>{c.raw}</th>
      <th scope="col">{c.floor}</th>
      <th scope="col" title={tip.remainder}>{c.remainder}</th>
      <th scope="col">{c.rank}</th>
      <th scope="col">{c.bonus}</th>
      <th scope="col">{c.proposed}</th>
    </>
  );
}

function Proposal() {
  const p = useRounds((s) => s.proposal);
  const edits = useRounds((s) => s.edits);
  const edit = useRounds((s) => s.edit);
  const validate = useRounds((s) => s.validate);
  const a = useMemo(() => (p ? adjusted(p, edits) : null), [p, edits]);
  const [chart, setChart] = useState(false);
  // The chart's lines: the key's figures with the quotas as adjusted so far (a quota being
  // typed that is not yet a whole number keeps the proposed one, as the totals do).
  const chartLines = useMemo<RoundChartLine[]>(() => {
    if (!p || !a) return [];
    const quota = new Map(a.lines.map((l) => [l.finess, l.quota]));
    return p.proposal.lines.map((l) => ({ finess: l.finess, name: p.names[l.finess]?.name ?? l.finess, quota: quota.get(l.finess) ?? l.quota, mgPerUnit: p.mgPerUnit, figures: l }));
  }, [p, a]);
  if (!p || !a) return null;
  const quotas = new Map(a.lines.map((l) => [l.finess, l]));
  const tot = p.proposal.totals;
  const params = p.proposal.parameters;
  return (
    <section className="alloc-proposal" data-testid="alloc-proposal" aria-label={t.title}>
      <p className="small">
        <strong>
          {p.moleculeLabel} — {p.presentationLabel}
        </strong>{' '}
        · {t.mgPerUnit(`${num(p.mgPerUnit)} mg`)} ·{' '}
        {t.params(fr.stockMethods.allocationMode[params.mode] ?? params.mode, params.passes, params.meanOccupancy === null ? null : num(params.meanOccupancy))} · <span className="muted">{t.method}</span>
      </p>
      {p.proposal.lines.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <div className="alloc-table-wrap">
          <table className="alloc-table" data-testid="alloc-table">
            <thead>
              <tr>
                <th scope="col">{t.col.establishment}</th>
                <th scope="col">{t.col.dep}</th>
                <FigureHeads />
                <th scope="col">{t.col.quota}</th>
                <th scope="col">{t.col.coverAfter}</th>
              </tr>
            </thead>
            <tbody>
              {p.proposal.lines.map((l) => {
                const name = p.names[l.finess]?.name ?? l.finess;
                const q = quotas.get(l.finess);
                const text = edits[l.finess] ?? String(l.quota);
                const quota = q?.quota ?? l.quota;
                const after = l.dailyUseMg && l.dailyUseMg > 0 ? (l.onHandMg + quota * p.mgPerUnit) / l.dailyUseMg : null;
                return (
                  <tr key={l.finess} data-finess={l.finess} className={q?.adjusted ? 'alloc-adjusted' : undefined}>
                    <th scope="row" title={l.finess}>
                      {name}
                    </th>
                    <td>{p.names[l.finess]?.dep}</td>
                    <Figures l={l} />
                    <td>
                      <input
                        type="text"
                        inputMode="numeric"
                        size={5}
                        value={text}
                        aria-label={t.quotaLabel(name)}
                        onChange={(e) => edit(l.finess, e.target.value)}
                        data-testid={`alloc-quota-${l.finess}`}
                        className={q?.aboveNeed ? 'alloc-above' : undefined}
                      />
                    </td>
                    <td className="num">{num(after)}</td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t.totals}</th>
                <td />
                <td colSpan={5} />
                <td />
                <td className="num">{tot.needUnits}</td>
                <td colSpan={6} />
                <td className="num">{tot.allocatedUnits}</td>
                <td className="num" data-testid="alloc-total">
                  {a.allocatedUnits} / {a.supplyUnits}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <div className="alloc-actions">
        <p role="status" className={a.leftUnits < 0 ? 'form-error' : 'small'} data-testid="alloc-left">
          {fr.stockMethods.left(a.leftUnits)}
          {tot.unknownNeedLines > 0 ? ` · ${t.unknownLines(tot.unknownNeedLines)}` : ''}
        </p>
        {a.problems.length > 0 && (
          <ul className="form-error small" role="alert" data-testid="alloc-problems">
            {a.problems.map((pb, i) => (
              <li key={i}>{pb.kind === 'notWhole' && Number.isNaN(pb.quota) ? t.quotaNotNumber(p.names[pb.finess]?.name ?? pb.finess) : adjustmentProblemText(pb)}</li>
            ))}
          </ul>
        )}
        <button type="button" className="btn btn-primary" disabled={!a.ok || p.proposal.lines.length === 0} title={a.ok ? undefined : t.cannotValidate} onClick={() => void validate()} data-testid="alloc-validate">
          {t.validate}
        </button>
      </div>
      {p.proposal.lines.length > 0 && (
        <div className="round-view-toggle">
          <button type="button" className="btn btn-small" aria-pressed={chart} onClick={() => setChart(!chart)} data-testid="alloc-proposal-chart">
            {t.chart.proposalShow}
          </button>
        </div>
      )}
      {chart && p.proposal.lines.length > 0 && <RoundChart lines={chartLines} supplyUnits={p.supplyUnits} proposal />}
    </section>
  );
}

function LineStatus({ l, canConfirm, roundId }: { l: RoundLineView; canConfirm: boolean; roundId: string }) {
  const confirm = useRounds((s) => s.confirm);
  if (l.quota === 0) return <span className="muted">{t.nothing}</span>;
  if (l.confirmedAt) return <span className="alloc-confirmed">{t.confirmedBy(l.confirmedBy ?? '', when(l.confirmedAt))}</span>;
  if (canConfirm)
    return (
      <button type="button" className="btn btn-small btn-primary" onClick={() => void confirm(roundId, l.finess)} data-testid={`alloc-confirm-${l.finess}`}>
        {t.confirm}
      </button>
    );
  return <span className="muted">{t.notConfirmed}</span>;
}

/** The round as CSV (its lines) or XLSX (the round and its lines), every figure of the key. */
function RoundExports({ roundId }: { roundId: string }) {
  const [notice, setNotice] = useState<string | null>(null);
  async function run(format: 'csv' | 'xlsx') {
    const reply = await call('allocations.export', { roundId, format });
    if (!reply.ok) return setNotice(reply.error.message);
    downloadBytes(reply.data.fileName, reply.data.mimeType, reply.data.contentBase64);
    setNotice(ui.stocksIo.export.done(reply.data.fileName));
  }
  return (
    <div className="stock-exports" role="group" aria-label={t.exportLabel}>
      <span className="small muted">{t.exportLabel} :</span>
      <button type="button" className="btn btn-small" onClick={() => void run('csv')} data-testid="alloc-export-csv">
        {t.exportCsv}
      </button>
      <button type="button" className="btn btn-small" onClick={() => void run('xlsx')} data-testid="alloc-export-xlsx">
        {t.exportXlsx}
      </button>
      {notice && (
        <span className="small muted" role="status" data-testid="alloc-export-notice">
          {notice}
        </span>
      )}
    </div>
  );
}

/** « Tableau / Graphique »: two toggle buttons, reachable with Tab and pressed with Enter or Space. */
function ViewToggle({ chart, setChart }: { chart: boolean; setChart: (chart: boolean) => void }) {
  const c = t.chart;
  return (
    <div className="round-view-toggle" role="group" aria-label={c.viewLabel}>
      <button type="button" className="btn btn-small" aria-pressed={!chart} onClick={() => setChart(false)} data-testid="alloc-view-table">
        {c.table}
      </button>
      <button type="button" className="btn btn-small" aria-pressed={chart} onClick={() => setChart(true)} data-testid="alloc-view-chart">
        {c.chart}
      </button>
    </div>
  );
}

function RoundCard({ r, confirmFor, open }: { r: RoundView; confirmFor: string | null; open: boolean }) {
  const round = r.round;
  const [chart, setChart] = useState(false);
  return (
    <details className="alloc-round" open={open} data-testid="alloc-round" data-round={round.id}>
      <summary>
        <strong>{t.roundTitle(MOLECULES.find((m) => m.code === round.molecule)?.label ?? round.molecule, round.presentationLabel)}</strong> — {t.roundMeta(when(round.validatedAt), round.validatedBy, round.totals.allocatedUnits, round.totals.supplyUnits, round.targetDays)} ·{' '}
        <span data-testid="alloc-confirmations">{t.confirmations(r.confirmed, r.toConfirm)}</span>
        {r.pending && <span className="stock-pending"> · {t.pending}</span>}
      </summary>
      <RoundExports roundId={round.id} />
      <ViewToggle chart={chart} setChart={setChart} />
      {chart ? (
        <RoundChart lines={r.lines} supplyUnits={round.totals.supplyUnits} />
      ) : (
        <table className="alloc-table">
          <thead>
            <tr>
              <th scope="col">{t.col.establishment}</th>
              <th scope="col">{t.col.dep}</th>
              <th scope="col">{t.col.quota}</th>
              <th scope="col">{t.col.status}</th>
              <th scope="col">{t.col.coverAfter}</th>
              <FigureHeads />
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.id} data-finess={l.finess} className={l.adjusted ? 'alloc-adjusted' : undefined}>
                <th scope="row" title={l.finess}>
                  {l.name}
                </th>
                <td>{l.dep}</td>
                <td className="num">
                  <strong>{l.quota}</strong>
                </td>
                <td>
                  <LineStatus l={l} roundId={round.id} canConfirm={confirmFor === l.finess} />
                </td>
                <td className="num">{num(l.figures.dailyUseMg && l.figures.dailyUseMg > 0 ? (l.figures.onHandMg + l.quota * l.mgPerUnit) / l.figures.dailyUseMg : null)}</td>
                <Figures l={l.figures} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

function RoundList() {
  const view = useRounds((s) => s.view);
  if (!view) return null;
  return (
    <section className="alloc-rounds" aria-label={view.national ? t.rounds : t.dotationsTab}>
      <h2>{view.national ? t.rounds : t.dotationsTab}</h2>
      {view.rounds.length === 0 && <p className="muted">{view.national ? t.noRound : t.noDotation}</p>}
      {view.rounds.map((r, i) => (
        <RoundCard key={r.round.id} r={r} confirmFor={view.confirmFor} open={i === 0 || (view.confirmFor !== null && r.lines.some((l) => l.quota > 0 && !l.confirmedAt))} />
      ))}
    </section>
  );
}

function Messages() {
  const error = useRounds((s) => s.error);
  const notice = useRounds((s) => s.notice);
  return (
    <>
      {error && (
        <p className="form-error" role="alert" data-testid="alloc-error">
          {error}
        </p>
      )}
      {notice && (
        <p className="form-ok" role="status" data-testid="alloc-notice">
          {t.validated(Number(notice))}
        </p>
      )}
    </>
  );
}

/** The national cell's « Allocations » tab. */
export function Allocations() {
  useRoundsLoaded();
  return (
    <div className="alloc" data-testid="stocks-allocations">
      <ProposalForm />
      <Messages />
      <Proposal />
      <RoundList />
    </div>
  );
}

/** « Dotations »: the lines this user sees; an establishment confirms receipt of its own. */
export function Dotations() {
  useRoundsLoaded();
  return (
    <div className="alloc" data-testid="stocks-dotations">
      <Messages />
      <RoundList />
    </div>
  );
}
