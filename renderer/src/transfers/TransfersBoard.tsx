import { unitLabel } from '../../../common/domain/beds/unitTypes';
import { useEffect, useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { fr } from '../../../common/i18n/fr';
import { parseRole } from '../../../common/territory';
import type { EstablishmentOption } from '../../../common/app/api';
import type { TransferView } from '../../../common/domain/transfers/api';
import { AGE_BANDS, COVID_STATUSES, NEED_CODES, SEXES, TRANSPORTS, URGENCIES, WEIGHT_CLASSES, type Patient } from '../../../common/domain/transfers/model';
import type { TransferStepName } from '../../../common/domain/transfers/rules';
import { call } from '../app/call';
import { useSession } from '../stores/session';
import { ageText } from '../beds/aggregate';
import { filtered, unansweredMinutes, useTransfers, type DraftFrom, type TransfersFilter } from './store';
import './transfers.css';
import { OperationsPanel } from './OperationsPanel';
import { TransferSettingsDialog } from './SettingsDialog';
import { TransferTimeline } from './Timeline';

const COLUMNS = ['brouillon', 'demande', 'propose', 'refuse', 'accepte', 'transport', 'en_route', 'arrive', 'annule'] as const;
const time = (iso: string) => new Date(iso).toLocaleString('fr-FR', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
const typing = (e: KeyboardEvent) => {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
};

/** The destination unit as people name it (« Réanimation médicale »), not its code. */
function destUnitText(t: { destUnitId: string | null; destUnitType: string | null }): string {
  return t.destUnitId ? unitLabel({ unitType: t.destUnitType ?? t.destUnitId, unitId: t.destUnitId, unitName: null }) : '';
}

function patientLine(t: TransferView): string {
  const p = t.patient;
  return [fr.transfers.need[p.need], ui.transfers.age(p.ageBand), ui.transfers.sex[p.sex], ui.transfers.covid[p.covid], p.ventilated ? ui.transfers.ventilated : '', p.ecmo ? ui.transfers.ecmo : '', p.isolation ? ui.transfers.isolation : '']
    .filter(Boolean)
    .join(' · ');
}

/** The next step of `t` whose letter was pressed (no modifier), if any. */
const stepOfKey = (t: TransferView, e: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean }) =>
  e.altKey || e.ctrlKey || e.metaKey ? undefined : t.next.find((n) => ui.transfers.key[n] === e.key.toUpperCase());

/** On a focused card or list row, a next step's letter opens the transfer with that step started. */
function openWithStep(t: TransferView, e: React.KeyboardEvent) {
  const s = stepOfKey(t, e);
  // Already open: the detail's own letters take it.
  if (!s || useTransfers.getState().selectedId === t.id) return;
  e.preventDefault();
  e.stopPropagation();
  useTransfers.setState({ selectedId: t.id, candidates: null, openStep: s });
}

function Card({ t, now, selected, onOpen }: { t: TransferView; now: number; selected: boolean; onOpen: () => void }) {
  const yours = t.next.length > 0;
  const afterMinutes = useTransfers((s) => s.settings.unansweredAfterMinutes);
  const late = unansweredMinutes(t, now, afterMinutes);
  return (
    <button
      type="button"
      className={`transfer-card urgency-${t.urgency}${selected ? ' selected' : ''}${t.pending ? ' is-pending' : ''}`}
      data-testid={`transfer-card-${t.number}`}
      data-state={t.state}
      onClick={onOpen}
      onKeyDown={(e) => openWithStep(t, e)}
    >
      <span className="tc-head">
        <strong>{t.number}</strong>
        <span className={`badge urgency-badge urgency-${t.urgency}`}>{ui.transfers.urgency[t.urgency]}</span>
      </span>
      <span className="tc-patient">{patientLine(t)}</span>
      <span className="tc-route">
        {t.originName} → {t.destName ?? ui.transfers.detail.none}
      </span>
      <span className="tc-foot">
        <span className="muted">{ui.transfers.since(ageText(t.createdAt, now))}</span>
        <span className={yours ? 'tc-yours' : 'muted'}>
          {yours ? ui.transfers.yourTurn : t.whoActs ? ui.transfers.waits(fr.transfers.party[t.whoActs]) : ui.transfers.done}
          {t.next.map((n) => (
            <kbd key={n} className="tc-key" title={ui.transfers.action[n]} data-testid={`transfer-key-${n}`}>
              {ui.transfers.key[n]}
            </kbd>
          ))}
        </span>
      </span>
      {t.pending && <span className="badge badge-pending">{ui.transfers.pending}</span>}
      {late !== null && (
        <span className="badge badge-late" data-testid="transfer-unanswered">
          {ui.transfers.unanswered(late)}
        </span>
      )}
    </button>
  );
}

function NewRequest({ onClose, from }: { onClose: () => void; from: DraftFrom | null }) {
  const session = useSession((s) => s.session);
  const role = parseRole(session?.user.role ?? '');
  const [origins, setOrigins] = useState<EstablishmentOption[]>([]);
  const [origin, setOrigin] = useState(role?.kind === 'establishment' ? role.finess : '');
  const [patient, setPatient] = useState<Patient>({ ageBand: '61-75', sex: 'M', weightClass: null, need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true });
  const [urgency, setUrgency] = useState<(typeof URGENCIES)[number]>('moins_6h');
  const [transport, setTransport] = useState<string>('');
  const [summary, setSummary] = useState(from?.summary ?? '');
  const [error, setError] = useState<string | null>(null);
  const create = useTransfers((s) => s.create);
  const doStep = useTransfers((s) => s.step);
  useEffect(() => {
    if (role?.kind !== 'samu') return;
    void call('referential.establishments', { territory: `D:${role.dep}` }).then((r) => r.ok && setOrigins(r.data));
  }, [role?.kind, role && 'dep' in role ? role.dep : '']);
  const send = async (draft: boolean) => {
    const e = await create({ patient, summary, originFiness: origin, urgency, transport: transport ? (transport as (typeof TRANSPORTS)[number]) : null, draft, comment: from?.comment });
    setError(e);
    if (e) return;
    // Started from a unit of the bed board: that unit is proposed at once (the SAMU's step).
    const id = useTransfers.getState().selectedId;
    if (!draft && from?.dest && id && role?.kind === 'samu') {
      const pe = await doStep({ id, step: 'propose', destFiness: from.dest.finess, destUnitId: from.dest.unitId });
      if (pe) {
        setError(pe);
        return;
      }
    }
    onClose();
  };
  const f = ui.transfers.form;
  const sel = <K extends keyof Patient>(k: K, values: readonly string[], label: (v: string) => string, testId: string) => (
    <select value={String(patient[k] ?? '')} onChange={(e) => setPatient({ ...patient, [k]: e.target.value || null })} data-testid={testId}>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </select>
  );
  return (
    <form
      className="transfer-form"
      data-testid="transfer-new"
      onSubmit={(e) => {
        e.preventDefault();
        void send(false);
      }}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h2>{f.title}</h2>
      {from?.dest && (
        <p className="wide muted" data-testid="transfer-new-dest">
          {ui.transfers.presetDest(from.dest.label)}
        </p>
      )}
      {role?.kind === 'samu' && (
        <label>
          {f.origin}
          <select value={origin} onChange={(e) => setOrigin(e.target.value)} data-testid="transfer-new-origin" autoFocus>
            <option value="">—</option>
            {origins.map((o) => (
              <option key={o.finess} value={o.finess}>
                {o.name} — {o.city}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {f.need} {sel('need', NEED_CODES, (v) => fr.transfers.need[v], 'transfer-new-need')}
      </label>
      <label>
        {f.ageBand} {sel('ageBand', AGE_BANDS, (v) => v, 'transfer-new-age')}
      </label>
      <label>
        {f.sex} {sel('sex', SEXES, (v) => v, 'transfer-new-sex')}
      </label>
      <label>
        {f.weight} {sel('weightClass', ['', ...WEIGHT_CLASSES], (v) => v || f.weightNone, 'transfer-new-weight')}
      </label>
      <label>
        {f.covid} {sel('covid', COVID_STATUSES, (v) => ui.transfers.covid[v], 'transfer-new-covid')}
      </label>
      <span className="checks">
        {(['ventilated', 'ecmo', 'isolation'] as const).map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={patient[k]} onChange={(e) => setPatient({ ...patient, [k]: e.target.checked })} data-testid={`transfer-new-${k}`} /> {ui.transfers[k]}
          </label>
        ))}
      </span>
      <label>
        {f.urgency}
        <select value={urgency} onChange={(e) => setUrgency(e.target.value as (typeof URGENCIES)[number])} data-testid="transfer-new-urgency">
          {URGENCIES.map((u) => (
            <option key={u} value={u}>
              {ui.transfers.urgency[u]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {f.transport}
        <select value={transport} onChange={(e) => setTransport(e.target.value)} data-testid="transfer-new-transport">
          <option value="">{f.transportNone}</option>
          {TRANSPORTS.map((t) => (
            <option key={t} value={t}>
              {ui.transfers.transport[t]}
            </option>
          ))}
        </select>
      </label>
      <label className="wide">
        {f.summary}
        <textarea value={summary} onChange={(e) => setSummary(e.target.value)} rows={3} maxLength={2000} data-testid="transfer-new-summary" />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" data-testid="transfer-new-send" disabled={!origin}>
          {f.send}
        </button>
        <button type="button" className="btn" onClick={() => void send(true)} disabled={!origin}>
          {f.draft}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {f.cancel}
        </button>
      </div>
    </form>
  );
}

function ActionForm({ t, step, onDone }: { t: TransferView; step: TransferStepName; onDone: () => void }) {
  const doStep = useTransfers((s) => s.step);
  const candidates = useTransfers((s) => s.candidates);
  const loadCandidates = useTransfers((s) => s.loadCandidates);
  const [reason, setReason] = useState('');
  const [transport, setTransport] = useState<string>(t.transport ?? 'smur');
  const [hours, setHours] = useState(useTransfers.getState().settings.holdHours);
  const [error, setError] = useState<string | null>(null);
  const f = ui.transfers.form;
  useEffect(() => {
    if (step === 'propose') void loadCandidates(t.id);
  }, [step, t.id, loadCandidates]);
  const run = async (args: Parameters<typeof doStep>[0]) => {
    const e = await doStep(args);
    setError(e);
    if (!e) onDone();
  };
  return (
    <div className="transfer-action" data-testid={`transfer-action-${step}`} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      {step === 'propose' && (
        <>
          <h3>{f.candidates}</h3>
          {candidates && candidates.length === 0 && <p className="muted">{f.noCandidate}</p>}
          <ul className="plain candidates">
            {(candidates ?? []).map((c, i) => (
              <li key={`${c.finess}:${c.unitId}`}>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid={`candidate-${c.finess}:${c.unitId}`}
                  autoFocus={i === 0}
                  onClick={() => void run({ id: t.id, step: 'propose', destFiness: c.finess, destUnitId: c.unitId, transport: t.transport })}
                >
                  {f.choose}
                </button>{' '}
                <strong>{c.establishmentName}</strong> — {c.label} · {f.free(c.free)} · {c.minutes === null ? f.noTime : f.minutes(c.minutes)} · {ageText(c.at, Date.now())}
                {c.stale && <span className="stale-text"> · {f.stale}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {(step === 'refuse' || step === 'cancel') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run({ id: t.id, step, reason });
          }}
        >
          <label>
            {f.reason}
            <input value={reason} onChange={(e) => setReason(e.target.value)} autoFocus data-testid="transfer-reason" maxLength={500} />
          </label>
          <button type="submit" className="btn btn-primary" data-testid="transfer-action-confirm">
            {f.confirm}
          </button>
        </form>
      )}
      {step === 'organize' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run({ id: t.id, step: 'organize', transport: transport as (typeof TRANSPORTS)[number] });
          }}
        >
          <label>
            {f.transport}
            <select value={transport} onChange={(e) => setTransport(e.target.value)} autoFocus data-testid="transfer-transport">
              {TRANSPORTS.map((x) => (
                <option key={x} value={x}>
                  {ui.transfers.transport[x]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary" data-testid="transfer-action-confirm">
            {f.confirm}
          </button>
        </form>
      )}
      {step === 'accept' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run({ id: t.id, step: 'accept', holdHours: hours });
          }}
        >
          <label>
            {f.holdHours}
            <input type="number" min={1} max={24} value={hours} onChange={(e) => setHours(Number(e.target.value))} autoFocus data-testid="transfer-hold-hours" />
          </label>
          <button type="submit" className="btn btn-primary" data-testid="transfer-action-confirm">
            {f.confirm}
          </button>
        </form>
      )}
      {(step === 'submit' || step === 'depart' || step === 'arrive') && (
        <button type="button" className="btn btn-primary" autoFocus data-testid="transfer-action-confirm" onClick={() => void run({ id: t.id, step })}>
          {ui.transfers.action[step]}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="transfer-action-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The clinical summary: its text for the parties (the origin side may rewrite it until the
 * arrival), a notice for everyone else, who never receives it.
 */
function Summary({ t }: { t: TransferView }) {
  const d = ui.transfers.detail;
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(null);
    setError(null);
  }, [t.id]);
  if (!t.summaryParty) {
    return (
      <>
        <dt>{d.summary}</dt>
        <dd className="muted" data-testid="transfer-summary-reserved">
          {d.summaryReserved}
        </dd>
      </>
    );
  }
  if (t.summaryPurgedAt) {
    return (
      <>
        <dt>{d.summary}</dt>
        <dd className="muted" data-testid="transfer-summary-purged">
          {d.summaryPurged}
        </dd>
      </>
    );
  }
  const editable = (t.mine.includes('origin') || t.mine.includes('samu')) && t.state !== 'arrive' && t.state !== 'annule';
  if (!t.summary && !editable) return null;
  const save = async () => {
    const reply = await call('transfers.summary', { id: t.id, summary: draft ?? '' });
    if (!reply.ok) setError(reply.error.message);
    else setDraft(null);
  };
  return (
    <>
      <dt>{d.summary}</dt>
      {draft === null ? (
        <dd className="pre" data-testid="transfer-summary">
          {t.summary || d.none}{' '}
          {editable && (
            <button type="button" className="btn btn-small btn-ghost" data-testid="transfer-summary-edit" onClick={() => setDraft(t.summary ?? '')}>
              {d.summaryEdit}
            </button>
          )}
        </dd>
      ) : (
        <dd>
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} maxLength={2000} aria-label={d.summary} data-testid="transfer-summary-text" />
          <button type="button" className="btn btn-small btn-primary" data-testid="transfer-summary-save" onClick={() => void save()}>
            {d.summarySave}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setDraft(null)}>
            {ui.transfers.form.cancel}
          </button>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </dd>
      )}
    </>
  );
}

function Detail({ t, now }: { t: TransferView; now: number }) {
  const [step, setStep] = useState<TransferStepName | null>(null);
  const select = useTransfers((s) => s.select);
  const d = ui.transfers.detail;
  // A step started from its card's letter opens with the detail.
  useEffect(() => {
    const started = useTransfers.getState().openStep;
    setStep(started && t.next.includes(started) ? started : null);
    if (started) useTransfers.setState({ openStep: null });
  }, [t.id]);
  // A letter per next action (E, P, A, R, O, D, V, X), when nothing is being typed.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.altKey || e.ctrlKey || e.metaKey) return;
      const s = t.next.find((n) => ui.transfers.key[n] === e.key.toUpperCase());
      if (s) {
        e.preventDefault();
        setStep(s);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [t.next]);
  const hold = t.hold;
  const holdText = !hold
    ? null
    : hold.state === 'arrived'
      ? d.holdArrived
      : hold.state === 'released'
        ? d.holdReleased
        : Date.parse(hold.expiresAt) <= now
          ? d.holdExpired
          : d.hold(time(hold.expiresAt));
  return (
    <aside className="transfer-detail" data-testid="transfer-detail" aria-label={d.title}>
      <header>
        <h2>
          {d.title} {t.number} <span className="muted">· {fr.transfers.state[t.state]}</span>
        </h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => select(null)}>
          {d.close}
        </button>
      </header>
      {t.pending && <p className="badge badge-pending">{ui.transfers.pending}</p>}
      <dl className="detail-meta">
        <dt>{d.patient}</dt>
        <dd>{patientLine(t)}</dd>
        <dt>{d.origin}</dt>
        <dd>{t.originName}</dd>
        <dt>{d.samu}</dt>
        <dd>{t.samuLabel}</dd>
        <dt>{d.destination}</dt>
        <dd data-testid="transfer-destination">{t.destName ? `${t.destName} — ${destUnitText(t)}` : d.none}</dd>
        <dt>{d.urgency}</dt>
        <dd>{ui.transfers.urgency[t.urgency]}</dd>
        <dt>{d.transport}</dt>
        <dd>{t.transport ? ui.transfers.transport[t.transport] : d.none}</dd>
        {holdText && (
          <>
            <dt>{ui.transfers.detail.hold('').replace(/ jusqu.*$/, '')}</dt>
            <dd data-testid="transfer-hold">{holdText}</dd>
          </>
        )}
        {t.reason && (
          <>
            <dt>{d.reason}</dt>
            <dd>{t.reason}</dd>
          </>
        )}
        <Summary t={t} />
      </dl>
      <div className="transfer-next" role="group">
        {t.next.map((s) => (
          <button key={s} type="button" className={`btn btn-small${s === 'cancel' || s === 'refuse' ? ' btn-ghost' : ' btn-primary'}`} data-testid={`transfer-step-${s}`} onClick={() => setStep(s)}>
            {ui.transfers.action[s]} <kbd>{ui.transfers.key[s]}</kbd>
          </button>
        ))}
      </div>
      {step && <ActionForm t={t} step={step} onDone={() => setStep(null)} />}
      <TransferTimeline t={t} now={now} />
    </aside>
  );
}

/** What reached this workstation's side, until dismissed: a click opens the transfer. */
function TransferNotices() {
  const notices = useTransfers((s) => s.notices);
  const { dismissNotice, select } = useTransfers.getState();
  if (notices.length === 0) return null;
  // An evacuation brings a dozen at once: the newest two (the board must stay readable at
  // 1366×768), then a count and « Tout fermer ».
  const shown = notices.slice(0, 2);
  return (
    <ul className="plain transfer-notices" role="status" data-testid="transfer-notices">
      {notices.length > shown.length && (
        <li className="transfer-notice notice-more">
          <span data-testid="transfer-notices-more">{ui.transfers.moreNotices(notices.length - shown.length)}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => useTransfers.setState({ notices: [] })} data-testid="transfer-notices-close-all">
            {ui.transfers.closeAll}
          </button>
        </li>
      )}
      {shown.map((n) => (
        <li key={`${n.id}:${n.kind}`} className={`transfer-notice notice-${n.kind}`}>
          <button type="button" className="link" onClick={() => select(n.id)}>
            {n.text}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => dismissNotice(n.id, n.kind)}>
            {ui.transfers.dismiss}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The Transferts board: columns by state (or a list), a detail with the next actions, a request form. */
export function TransfersBoard() {
  const session = useSession((s) => s.session);
  const role = parseRole(session?.user.role ?? '');
  const { transfers, loaded, error, view, filter, selectedId, now } = useTransfers();
  const { load, setView, setFilter, select, tick } = useTransfers.getState();
  const draftFrom = useTransfers((s) => s.draftFrom);
  const [creating, setCreating] = useState(draftFrom !== null);
  const [section, setSection] = useState<'transfers' | 'operations'>('transfers');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const settings = useTransfers((s) => s.settings);
  const canRequest = role?.kind === 'samu' || role?.kind === 'establishment';
  useEffect(() => {
    void load();
    // Flags and ages follow the clock at the pace main looks for clock notices.
    const timer = setInterval(tick, 30_000);
    return () => clearInterval(timer);
  }, [load, tick]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (canRequest && e.key.toUpperCase() === ui.transfers.newRequestKey && !selectedId) {
        e.preventDefault();
        setCreating(true);
      }
      if (e.key.toUpperCase() === ui.transfers.settings.openKey && !document.querySelector('[role="dialog"]')) {
        e.preventDefault();
        setSettingsOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canRequest, selectedId]);
  const referential = useSession((s) => s.referential);
  // « Ma région »: an ARS's, or the région of a SAMU's or an establishment's département.
  const myRegion = useMemo(() => {
    if (!role || role.kind === 'national') return null;
    if (role.kind === 'ars') return role.region;
    const dep = role.kind === 'samu' ? role.dep : role.kind === 'field' ? role.post.slice(0, role.post.indexOf('-')) : transfers.find((t) => t.originFiness === role.finess)?.originDep;
    return referential?.departements.find((d) => d.key === `D:${dep}`)?.region ?? null;
  }, [role, referential, transfers]);
  const shown = useMemo(() => filtered(transfers, filter, myRegion), [transfers, filter, myRegion]);
  const selected = transfers.find((t) => t.id === selectedId) ?? null;
  const columns = COLUMNS.filter((c) => shown.some((t) => t.state === c) || (c !== 'brouillon' && c !== 'arrive' && c !== 'annule'));
  return (
    <div className={`transfers-board${selected ? ' with-detail' : ''}`} data-testid="transfers-board">
      <div className="transfers-head">
        <h1>{ui.transfers.title}</h1>
        <div className="seg" role="tablist">
          {(['transfers', 'operations'] as const).map((v) => (
            <button key={v} type="button" role="tab" className={`seg-btn${section === v ? ' active' : ''}`} aria-selected={section === v} onClick={() => setSection(v)} data-testid={`transfers-section-${v}`}>
              {ui.transfers.sections[v]}
            </button>
          ))}
        </div>
        {canRequest && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setCreating(true)} data-testid="transfer-new-open">
            {ui.transfers.newRequest} <kbd>{ui.transfers.newRequestKey}</kbd>
          </button>
        )}
        <div className="seg" role="group" hidden={section !== 'transfers'}>
          {(['board', 'list'] as const).map((v) => (
            <button key={v} type="button" className={`seg-btn${view === v ? ' active' : ''}`} aria-pressed={view === v} onClick={() => setView(v)}>
              {v === 'board' ? ui.transfers.viewBoard : ui.transfers.viewList}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setSettingsOpen(true)}
          data-testid="transfer-settings-open"
          title={ui.transfers.settings.ruleTitle(settings.unansweredAfterMinutes, settings.holdHours)}
        >
          {ui.transfers.settings.open}{' '}
          <span className="muted" data-testid="transfer-settings-rule">
            {ui.transfers.settings.rule(settings.unansweredAfterMinutes, settings.holdHours)}
          </span>{' '}
          <kbd>{ui.transfers.settings.openKey}</kbd>
        </button>
        <label hidden={section !== 'transfers'}>
          {ui.transfers.filter.label}{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as TransfersFilter)} data-testid="transfers-filter">
            {(['active', 'mine', 'incoming', ...(myRegion ? (['region'] as const) : []), 'all'] as const).map((f) => (
              <option key={f} value={f}>
                {ui.transfers.filter[f]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="form-error">{error}</p>}
      {settingsOpen && <TransferSettingsDialog onClose={() => setSettingsOpen(false)} />}
      <TransferNotices />
      {section === 'operations' && <OperationsPanel />}
      {creating && (
        <NewRequest
          from={draftFrom}
          onClose={() => {
            setCreating(false);
            useTransfers.setState({ draftFrom: null });
          }}
        />
      )}
      <div className="transfers-body" hidden={section !== 'transfers'}>
        {loaded && shown.length === 0 && <p className="muted">{ui.transfers.empty}</p>}
        {view === 'board' ? (
          <div className="transfer-columns">
            {columns.map((c) => {
              const inColumn = shown.filter((t) => t.state === c);
              // An empty column shrinks to a narrow strip with its name upright: at 1366×768 with
              // the detail open, every column with a card keeps a readable width.
              return (
                <section key={c} className={`transfer-column${inColumn.length === 0 ? ' is-empty' : ''}`} data-testid={`transfer-column-${c}`}>
                  <h2>
                    {ui.transfers.column[c]} <span className="muted">{inColumn.length}</span>
                  </h2>
                  {inColumn.map((t) => (
                    <Card key={t.id} t={t} now={now} selected={t.id === selectedId} onOpen={() => select(t.id)} />
                  ))}
                </section>
              );
            })}
          </div>
        ) : (
          <table className="transfer-list" data-testid="transfer-list">
            <tbody>
              {shown.map((t) => (
                <tr key={t.id} tabIndex={0} onClick={() => select(t.id)} onKeyDown={(e) => (e.key === 'Enter' ? select(t.id) : openWithStep(t, e))}>
                  <td>{t.number}</td>
                  <td>{ui.transfers.urgency[t.urgency]}</td>
                  <td>{fr.transfers.state[t.state]}</td>
                  <td>{patientLine(t)}</td>
                  <td>
                    {t.originName} → {t.destName ?? '—'}
                  </td>
                  <td className="muted">{ageText(t.createdAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {selected && <Detail t={selected} now={now} />}
      </div>
    </div>
  );
}
