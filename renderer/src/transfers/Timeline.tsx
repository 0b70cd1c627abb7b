/**
 * A transfer's timeline (issue 8), in its detail: every step with its time, the time it took
 * since the step before, who took it (name and post) and its comment; the bed hold's placement,
 * expiry and end among them in time order; and, while the transfer is not over, how long it
 * has waited since its last step and the age of the request, both ticking.
 */
import { unitLabel } from '../../../common/domain/beds/unitTypes';
import { useEffect, useState } from 'react';
import type { TransferView } from '../../../common/domain/transfers/api';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { ageText } from '../beds/aggregate';
import { formatFullTime, roleLabel } from '../eventlog/format';
import { useSession } from '../stores/session';
import { unansweredMinutes, useTransfers } from './store';

/** « 12 min », « 1 h 05 », « 2 j 3 h »: a duration as a regulator says it. */
export function durationText(ms: number): string {
  const d = ui.transfers.duration;
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return d.seconds;
  if (minutes < 60) return d.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return d.hours(hours, minutes % 60);
  return d.days(Math.floor(hours / 24), hours % 24);
}

export interface TimelineEntry {
  key: string;
  kind: 'step' | 'hold' | 'upcoming';
  at: string;
  label: string;
  /** Time since the step before (steps only). */
  after: string | null;
  /** The author's name and post (steps only). */
  who: { name: string; role: string } | null;
  comment: string;
}

const TERMINAL = new Set(['arrive', 'annule']);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The entries of `t`'s timeline at `now`, in time order (a step before a hold event at the
 * same instant; an expiry still to come last). `roleName` names a post (`samu:75`).
 */
export function timelineEntries(t: TransferView, now: number, roleName: (roleText: string) => string): TimelineEntry[] {
  const out: TimelineEntry[] = t.steps.map((s, i) => ({
    key: `step-${i}`,
    kind: 'step',
    at: s.at,
    label: capital(fr.transfers.state[s.state] ?? s.state),
    after: i === 0 ? null : durationText(Date.parse(s.at) - Date.parse(t.steps[i - 1].at)),
    who: { name: s.by, role: roleName(s.byRole) },
    comment: s.comment,
  }));
  const h = t.hold;
  if (h) {
    const tl = ui.transfers.timeline;
    const hold = (key: string, at: string, label: string, kind: TimelineEntry['kind'] = 'hold'): TimelineEntry => ({ key, kind, at, label, after: null, who: null, comment: '' });
    out.push(hold('hold-placed', h.placedAt, tl.holdPlaced(unitLabel({ unitType: h.unitType, unitId: h.unitId, unitName: null }))));
    const expiry = Date.parse(h.expiresAt);
    const ended = h.endedAt ? Date.parse(h.endedAt) : null;
    // An expiry is shown when it came (or will come) before the hold ended.
    if (ended === null || expiry <= ended) out.push(hold('hold-expires', h.expiresAt, expiry <= now ? tl.holdExpired : tl.holdExpires, expiry > now && h.state === 'active' ? 'upcoming' : 'hold'));
    if (h.endedAt) out.push(hold('hold-ended', h.endedAt, h.state === 'arrived' ? tl.holdArrived : tl.holdReleased));
  }
  else if (t.holdId && t.holdExpiresAt && !TERMINAL.has(t.state)) {
    // The hold itself is outside this workstation's branch (another département): its expiry travels with the transfer.
    const tl = ui.transfers.timeline;
    const upcoming = Date.parse(t.holdExpiresAt) > now;
    out.push({ key: 'hold-expires', kind: upcoming ? 'upcoming' : 'hold', at: t.holdExpiresAt, label: upcoming ? tl.holdExpires : tl.holdExpired, after: null, who: null, comment: '' });
  }
  const rank = (e: TimelineEntry) => (e.kind === 'step' ? 0 : 1);
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at) || rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}

/** Ticks every 15 s while mounted, so ages move even between the board's own ticks. */
function useNow(initial: number): number {
  const [now, setNow] = useState(initial);
  useEffect(() => setNow(Math.max(initial, Date.now())), [initial]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function TransferTimeline({ t, now: boardNow }: { t: TransferView; now: number }) {
  const referential = useSession((s) => s.referential);
  const afterMinutes = useTransfers((s) => s.settings.unansweredAfterMinutes);
  const now = useNow(boardNow);
  const late = unansweredMinutes(t, now, afterMinutes) !== null;
  const tl = ui.transfers.timeline;
  // A party is named as the board names it; anyone else by their post.
  const roleName = (roleText: string) =>
    roleText === `establishment:${t.originFiness}`
      ? t.originName
      : t.destFiness && roleText === `establishment:${t.destFiness}`
        ? (t.destName ?? t.destFiness)
        : roleText === `samu:${t.samu.slice(2)}`
          ? t.samuLabel
          : roleLabel(roleText, referential);
  const entries = timelineEntries(t, now, roleName);
  const last = t.steps[t.steps.length - 1];
  const open = !TERMINAL.has(t.state);
  const row = (e: TimelineEntry) => (
    <li key={e.key} className={`tl-${e.kind}`} data-testid={`timeline-${e.key}`}>
      <span className="tl-dot" aria-hidden="true" />
      <div className="tl-line">
        <strong className="tl-label">{e.label}</strong>
        <time className="muted" dateTime={e.at}>
          {formatFullTime(e.at)}
        </time>
        {e.after && <span className="tl-after">{tl.after(e.after)}</span>}
        {e.kind === 'upcoming' && <span className="muted">({tl.upcoming})</span>}
      </div>
      {e.who && <div className="tl-who muted">{tl.by(e.who.name, e.who.role)}</div>}
      {e.comment && <div className="tl-comment">{e.comment}</div>}
    </li>
  );
  return (
    <section className="transfer-timeline-box" aria-label={ui.transfers.detail.timeline}>
      <h3>
        {ui.transfers.detail.timeline}{' '}
        <span className="muted" data-testid="transfer-age">
          · {tl.age(ageText(t.createdAt, now))}
        </span>
      </h3>
      <ol className="transfer-timeline" data-testid="transfer-timeline">
        {entries.filter((e) => e.kind !== 'upcoming').map(row)}
        {open && last && (
          <li className={`tl-now${late ? ' tl-late' : ''}`} data-testid="timeline-now">
            <span className="tl-dot" aria-hidden="true" />
            <div className="tl-line">
              <strong className="tl-label">{tl.waiting(durationText(now - Date.parse(last.at)))}</strong>
              {t.whoActs && <span className="muted">{ui.transfers.waits(fr.transfers.party[t.whoActs])}</span>}
            </div>
          </li>
        )}
        {entries.filter((e) => e.kind === 'upcoming').map(row)}
      </ol>
    </section>
  );
}
