import { useEffect, useId, useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { postStatus, RoomPostKind } from '../../../common/domain/eventlog/room';
import type { RoomPostView, RoomShiftView, RoomView } from '../../../common/domain/eventlog/api';
import { formatGridTime } from './format';
import { useEventLog } from './store';
import { useRoom } from './roomStore';
import './room.css';

/**
 * The clock the panel reads who holds a post from: read again every 30 s, and whenever the
 * rooms change. A shift just put on a post starts at the current minute; read from a clock
 * up to 30 s old it would show as « attendu ensuite » and the post as not held.
 */
function useNow(rooms: readonly RoomView[] | null): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  return useMemo(() => Date.now(), [rooms, tick]);
}

/** `dd/MM HH:mm`: a shift's bounds (seconds say nothing here). */
function shiftTime(iso: string): string {
  return formatGridTime(iso).slice(0, 11);
}

/** The two views of an event: its main courante and the SAMU's reinforcement room. */
export function EventViewTabs() {
  const view = useRoom((s) => s.view);
  const setView = useRoom((s) => s.setView);
  return (
    <div className="event-view-tabs" role="tablist" aria-label={ui.room.tabsLabel}>
      {(['log', 'room'] as const).map((v) => (
        <button
          key={v}
          type="button"
          role="tab"
          aria-selected={view === v}
          className={`event-view-tab${view === v ? ' selected' : ''}`}
          data-testid={`event-view-${v}`}
          onClick={() => setView(v)}
        >
          {ui.room.tabs[v]}
        </button>
      ))}
    </div>
  );
}

/**
 * The reinforcement room(s) of the selected event: the SAMU's own (editable: open a post,
 * put someone on it for a shift, close it, cancel a shift), those of the SAMU an ARS or the
 * national cell oversees (read only). Each post says who holds it now and who comes next.
 */
export function RoomPanel() {
  const eventId = useEventLog((s) => s.selectedEventId);
  const closed = useEventLog((s) => s.events.find((e) => e.id === s.selectedEventId)?.status === 'closed');
  const show = useRoom((s) => s.show);
  const rooms = useRoom((s) => s.rooms);
  const error = useRoom((s) => s.error);
  const now = useNow(rooms);

  useEffect(() => {
    show(eventId);
    void useRoom.getState().refresh();
  }, [eventId, show]);

  if (error) {
    return (
      <p className="form-error room-panel" role="alert">
        {error}
      </p>
    );
  }
  if (!rooms) return <p className="muted room-panel">{ui.room.loading}</p>;
  if (rooms.length === 0) return <p className="muted room-panel" data-testid="room-none">{ui.room.none}</p>;
  return (
    <div className="room-panel" data-testid="room-panel">
      {rooms.map((r) => (
        <RoomSection key={r.room} room={r} now={now} editable={r.canEdit && !closed} />
      ))}
    </div>
  );
}

function RoomSection({ room, now, editable }: { room: RoomView; now: number; editable: boolean }) {
  const open = room.posts.filter((p) => !p.closedAt);
  const held = open.filter((p) => postStatus(p.shifts, now).current !== null).length;
  const actionError = useRoom((s) => s.actionError);
  return (
    <section className="room" data-testid={`room-${room.room}`} aria-label={room.label}>
      <header className="room-head">
        <h2>{room.label}</h2>
        <span className="room-count" data-testid="room-count">
          {ui.room.posts(open.length, held)}
        </span>
      </header>
      {!room.canEdit && <p className="muted small">{ui.room.readOnly}</p>}
      {editable && <OpenPostForm />}
      {editable && actionError && (
        <p className="form-error" role="alert" data-testid="room-error">
          {actionError}
        </p>
      )}
      {room.posts.length === 0 ? (
        <p className="muted">{ui.room.empty}</p>
      ) : (
        <table className="room-posts" data-testid="room-posts">
          <thead>
            <tr>
              <th scope="col">{ui.room.columns.post}</th>
              <th scope="col">{ui.room.columns.current}</th>
              <th scope="col">{ui.room.columns.next}</th>
              {editable && <th scope="col">{ui.room.columns.actions}</th>}
            </tr>
          </thead>
          {room.posts.map((p) => (
            <PostRows key={p.id} post={p} now={now} editable={editable} />
          ))}
        </table>
      )}
    </section>
  );
}

function OpenPostForm() {
  const openPost = useRoom((s) => s.openPost);
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<RoomPostKind>('regulation');
  const ids = useId();
  return (
    <form
      className="room-open"
      data-testid="room-open-form"
      aria-label={ui.room.openTitle}
      onSubmit={(e) => {
        e.preventDefault();
        void openPost(label, kind).then((ok) => ok && setLabel(''));
      }}
    >
      <label className="field field-inline" htmlFor={`${ids}-label`}>
        <span>{ui.room.postLabel}</span>
      </label>
      <input
        id={`${ids}-label`}
        data-testid="room-post-label"
        value={label}
        placeholder={ui.room.postLabelPlaceholder}
        maxLength={80}
        onChange={(e) => setLabel(e.target.value)}
      />
      <label className="field field-inline">
        <span>{ui.room.postKind}</span>
        <select data-testid="room-post-kind" value={kind} onChange={(e) => setKind(RoomPostKind.parse(e.target.value))}>
          {RoomPostKind.options.map((k) => (
            <option key={k} value={k}>
              {ui.room.kinds[k]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-small btn-primary" data-testid="room-post-open">
        {ui.room.open}
      </button>
    </form>
  );
}

/** Who holds a post now (with until when) or comes next (with from when), or what the absence means. */
function Holder({ shift, empty, when }: { shift: RoomShiftView | null; empty: string; when: (s: RoomShiftView) => string }) {
  if (!shift) return <span className="room-unheld">{empty}</span>;
  return (
    <span className="room-holder">
      <strong>{shift.person}</strong>
      {shift.qualification && <span className="muted"> · {shift.qualification}</span>}
      <span className="room-when"> {when(shift)}</span>
      {shift.pending && <span className="badge badge-pending">{ui.room.pending}</span>}
    </span>
  );
}

function PostRows({ post, now, editable }: { post: RoomPostView; now: number; editable: boolean }) {
  const { current, next } = postStatus(post.shifts, now);
  const [assigning, setAssigning] = useState(false);
  const [closing, setClosing] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const closePost = useRoom((s) => s.closePost);
  const isOpen = !post.closedAt;
  const cols = editable ? 4 : 3;
  return (
    <tbody className={isOpen ? 'room-post' : 'room-post room-post-closed'} data-testid="room-post" data-label={post.label}>
      <tr>
        <th scope="row">
          <span className="room-post-label">{post.label}</span>
          <span className={`room-kind room-kind-${post.kind}`}>{ui.room.kinds[post.kind]}</span>
          {!isOpen && <span className="badge badge-muted">{ui.room.closedBadge}</span>}
          {post.pending && <span className="badge badge-pending">{ui.room.pending}</span>}
          <button type="button" className="link room-history-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {ui.room.history(post.shifts.length)}
          </button>
        </th>
        <td data-testid="room-current">{isOpen ? <Holder shift={current} empty={ui.room.unheld} when={(s) => ui.room.until(shiftTime(s.endsAt))} /> : post.closedBy && post.closedAt && ui.room.closedBy(post.closedBy, shiftTime(post.closedAt))}</td>
        <td data-testid="room-next">{isOpen && <Holder shift={next} empty={ui.room.nobodyNext} when={(s) => ui.room.from(shiftTime(s.startsAt))} />}</td>
        {editable && (
          <td className="room-actions">
            {isOpen && !closing && (
              <>
                <button type="button" className="btn btn-small" data-testid="room-assign" onClick={() => setAssigning(!assigning)}>
                  {ui.room.assign}
                </button>
                <button type="button" className="btn btn-small btn-ghost" data-testid="room-close" onClick={() => setClosing(true)}>
                  {ui.room.closePost}
                </button>
              </>
            )}
            {closing && (
              <>
                <span>{ui.room.confirmClose(post.label)}</span>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  data-testid="room-close-confirm"
                  onClick={() => {
                    setClosing(false);
                    void closePost(post.id);
                  }}
                >
                  {ui.room.confirm}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setClosing(false)}>
                  {ui.room.cancel}
                </button>
              </>
            )}
          </td>
        )}
      </tr>
      {assigning && editable && isOpen && (
        <tr>
          <td colSpan={cols}>
            <ShiftForm post={post} after={next ?? current} onDone={() => setAssigning(false)} />
          </td>
        </tr>
      )}
      {expanded && (
        <tr>
          <td colSpan={cols}>
            <ShiftHistory shifts={post.shifts} now={now} editable={editable && isOpen} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

/** `YYYY-MM-DDTHH:mm` in local time, what a datetime-local input holds. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Puts someone on a post; starts where the last known shift ends (or now), for 12 hours. */
function ShiftForm({ post, after, onDone }: { post: RoomPostView; after: RoomShiftView | null; onDone(): void }) {
  const assign = useRoom((s) => s.assign);
  const start0 = after ? Date.parse(after.endsAt) : Math.floor(Date.now() / 60_000) * 60_000;
  const [person, setPerson] = useState('');
  const [qualification, setQualification] = useState('');
  const [start, setStart] = useState(localInput(start0));
  const [end, setEnd] = useState(localInput(start0 + 12 * 3_600_000));
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();
  return (
    <form
      className="room-shift-form"
      data-testid="room-shift-form"
      aria-label={ui.room.shiftForm.title(post.label)}
      onSubmit={(e) => {
        e.preventDefault();
        const s = Date.parse(start);
        const t = Date.parse(end);
        if (Number.isNaN(s) || Number.isNaN(t)) {
          setProblem(ui.room.shiftForm.badTime);
          return;
        }
        setProblem(null);
        void assign({ postId: post.id, person, qualification, startsAt: new Date(s).toISOString(), endsAt: new Date(t).toISOString() }).then((ok) => ok && onDone());
      }}
    >
      <label htmlFor={`${ids}-p`}>{ui.room.shiftForm.person}</label>
      <input id={`${ids}-p`} data-testid="room-shift-person" value={person} placeholder={ui.room.shiftForm.personPlaceholder} maxLength={100} onChange={(e) => setPerson(e.target.value)} />
      <label htmlFor={`${ids}-q`}>{ui.room.shiftForm.qualification}</label>
      <input
        id={`${ids}-q`}
        data-testid="room-shift-qualification"
        value={qualification}
        placeholder={ui.room.shiftForm.qualificationPlaceholder}
        maxLength={60}
        onChange={(e) => setQualification(e.target.value)}
      />
      <label htmlFor={`${ids}-s`}>{ui.room.shiftForm.start}</label>
      <input id={`${ids}-s`} type="datetime-local" data-testid="room-shift-start" value={start} onChange={(e) => setStart(e.target.value)} />
      <label htmlFor={`${ids}-e`}>{ui.room.shiftForm.end}</label>
      <input id={`${ids}-e`} type="datetime-local" data-testid="room-shift-end" value={end} onChange={(e) => setEnd(e.target.value)} />
      <div className="room-shift-buttons">
        <button type="submit" className="btn btn-small btn-primary" data-testid="room-shift-submit">
          {ui.room.shiftForm.submit}
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          {ui.room.cancel}
        </button>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** Every shift of a post, by start: running, past, to come, cancelled (struck through, with who cancelled it). */
function ShiftHistory({ shifts, now, editable }: { shifts: RoomShiftView[]; now: number; editable: boolean }) {
  const cancelShift = useRoom((s) => s.cancelShift);
  if (shifts.length === 0) return <p className="muted small">{ui.room.history(0)}</p>;
  return (
    <ul className="room-shifts" data-testid="room-shifts">
      {shifts.map((s) => {
        const past = Date.parse(s.endsAt) <= now;
        return (
          <li key={s.id} className={s.cancelledAt ? 'cancelled' : past ? 'past' : ''}>
            <span className="room-when">{ui.room.shift(shiftTime(s.startsAt), shiftTime(s.endsAt))}</span> <strong>{s.person}</strong>
            {s.qualification && <span className="muted"> · {s.qualification}</span>}
            <span className="muted small"> · {s.cancelledAt && s.cancelledBy ? ui.room.cancelled(s.cancelledBy) : ui.room.assignedBy(s.assignedBy)}</span>
            {s.pending && <span className="badge badge-pending">{ui.room.pending}</span>}
            {editable && !s.cancelledAt && !past && (
              <button type="button" className="btn btn-small btn-ghost" data-testid="room-shift-cancel" onClick={() => void cancelShift(s.id)}>
                {ui.room.cancelShift}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
