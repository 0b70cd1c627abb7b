/**
 * Formatting of times, roles and excerpts for the event log. Pure: no React, no store.
 * Times are shown in the workstation's local time zone, which is the one the regulators read
 * on the wall clock.
 */
import { ui } from '../../../common/i18n/ui.fr';
import type { Referential } from '../../../common/app/api';

const pad = (n: number): string => String(n).padStart(2, '0');

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `dd/MM HH:mm:ss`, the time column of the main courante. Empty for a missing or bad time. */
export function formatGridTime(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '';
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `HH:mm:ss`, for the status bar. */
export function formatClock(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `dd/MM/yyyy HH:mm:ss`, for detail panes where the year matters. */
export function formatFullTime(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '';
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${formatClock(iso)}`;
}

/** A message received this long after it was written was held back (offline): it is marked. */
export const LATE_AFTER_MS = 5 * 60_000;

/**
 * « Écrit hors ligne à 08:02, reçu à 11:30 » when the server received the message more than
 * five minutes after its author wrote it (the author's clock against the server's); null
 * otherwise, and while it is pending. A day apart, both times carry their date.
 */
export function lateText(m: { at: string; receivedAt: string | null }): string | null {
  const written = parse(m.at);
  const received = parse(m.receivedAt);
  if (!written || !received || received.getTime() - written.getTime() <= LATE_AFTER_MS) return null;
  const sameDay = written.toDateString() === received.toDateString();
  const show = (iso: string) => (sameDay ? formatClock(iso).slice(0, 5) : formatGridTime(iso).slice(0, 11));
  return ui.late.text(show(m.at), show(m.receivedAt as string));
}

/** Numeric value of an ISO time for sorting; unknown times sort first. */
export function timeValue(iso: string | null | undefined): number {
  return parse(iso)?.getTime() ?? Number.NEGATIVE_INFINITY;
}

/** The text on one line (runs of white space, newlines included, become one space), cut to `max` characters with an ellipsis. */
export function excerpt(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1).trimEnd()}…` : oneLine;
}

/**
 * A short French label for a role string (`samu:75`, `ars:11`, `national`…): "SAMU 75",
 * "ARS Île-de-France", "Cellule nationale". Falls back to the raw text for an unknown role.
 */
export function roleLabel(roleText: string, referential: Referential | null): string {
  if (roleText === 'national') return ui.roles.national;
  const idx = roleText.indexOf(':');
  if (idx < 0) return roleText;
  const kind = roleText.slice(0, idx);
  const id = roleText.slice(idx + 1);
  switch (kind) {
    case 'ars': {
      const region = referential?.regions.find((r) => r.key === `R:${id}`);
      return ui.roles.ars(region?.label ?? `ARS ${id}`);
    }
    case 'samu':
      return ui.roles.samu(id);
    case 'establishment':
      return ui.roles.establishment(id);
    case 'pui':
      return ui.roles.pui(id);
    case 'field':
      return ui.roles.field(id);
    default:
      return roleText;
  }
}

/** Who wrote a message, post first: « SAMU 75 · Dr Marc Dubois ». */
export function authorLine(m: { authorName: string; authorRole: string }, referential: Referential | null): string {
  return `${roleLabel(m.authorRole, referential)} · ${m.authorName}`;
}

/** The role family of a role string, e.g. `samu` for `samu:75`. */
export function roleKind(roleText: string): string {
  const idx = roleText.indexOf(':');
  return idx < 0 ? roleText : roleText.slice(0, idx);
}

/** Roles that may open and close crisis events (mirrors the `event.open` mutator's rule). */
export function canManageEvents(roleText: string): boolean {
  const k = roleKind(roleText);
  return k === 'national' || k === 'ars' || k === 'samu';
}

/**
 * The second line of the header's identity block: who the user acts for, without saying it
 * twice ("SAMU 75 — Paris", not "SAMU 75 · SAMU 75 — Paris").
 */
export function identityLine(user: { role: string; territoryLabel: string }): string {
  switch (roleKind(user.role)) {
    case 'national':
      return ui.roles.national;
    case 'ars':
    case 'samu':
    case 'field':
      return user.territoryLabel;
    case 'establishment':
      return ui.roles.establishmentOf(user.territoryLabel);
    case 'pui':
      return ui.roles.puiOf(user.territoryLabel);
    default:
      return user.territoryLabel;
  }
}
