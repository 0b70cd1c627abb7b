import type { ReactNode } from 'react';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { useTransfers } from '../transfers/store';
import { AckPanel } from './AckPanel';
import { PriorityBadge, StatusBadges } from './cells';
import { excerpt, formatFullTime, lateText, roleLabel } from './format';

function LinkedMessage({ id }: { id: string }) {
  const target = useEventLog((s) => s.messages.find((m) => m.id === id));
  const selectMessage = useEventLog((s) => s.selectMessage);
  if (!target) return <span className="muted">{ui.detail.linkedMissing}</span>;
  return (
    <button type="button" className="link" onClick={() => selectMessage(id)} title={ui.detail.openLinked}>
      {formatFullTime(target.at)} — « {excerpt(target.body, 48)} »
    </button>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The selected message in full, its links, its actions and, for a consigne, its acknowledgements. */
export function MessageDetail() {
  const m = useEventLog((s) => s.messages.find((x) => x.id === s.selectedMessageId) ?? null);
  const eventOpen = useEventLog((s) => s.events.find((e) => e.id === s.selectedEventId)?.status === 'open');
  const actionError = useEventLog((s) => s.actionError);
  const acking = useEventLog((s) => s.acking);
  const acknowledge = useEventLog((s) => s.acknowledge);
  const startNewVersion = useEventLog((s) => s.startNewVersion);
  const startCorrection = useEventLog((s) => s.startCorrection);
  const referential = useSession((s) => s.referential);
  const postable = useSession((s) => s.session?.postable);
  const ownRole = useSession((s) => s.session?.user.role);

  if (!m) {
    return (
      <div className="detail" data-testid="message-detail" data-empty="true">
        <h2 className="pane-title">{ui.detail.title}</h2>
        <p className="muted">{ui.detail.empty}</p>
        {actionError && (
          <p className="form-error" role="alert">
            {actionError}
          </p>
        )}
      </div>
    );
  }

  const canNewVersion = eventOpen && m.kind === 'consigne' && !m.replacedBy && (postable ?? []).some((t) => t.key === m.territory);
  // Only the post that wrote a message corrects it (the server refuses the others).
  const canCorrect = eventOpen && m.authorRole === ownRole;
  // A SAMU or an establishment turns a « Demande » into a transfer request.
  const canStartTransfer = /^(samu|establishment):/.test(ownRole ?? '');

  return (
    <div className={`detail prio-${m.priority}`} data-testid="message-detail" data-message-id={m.id}>
      <h2 className="pane-title">{ui.detail.title}</h2>
      <div className="detail-head">
        <PriorityBadge priority={m.priority} />
        <span className={`kind kind-${m.kind}`}>{fr.kind[m.kind]}</span>
        <StatusBadges m={m} linkable={false} />
      </div>
      <div className="detail-body" data-testid="message-detail-body">
        {m.body}
      </div>
      <dl className="detail-meta">
        <Row label={ui.detail.at}>{formatFullTime(m.at)}</Row>
        {lateText(m) && (
          <Row label={ui.detail.receivedAt}>
            {formatFullTime(m.receivedAt)}{' '}
            <span className="late-badge" data-testid="detail-late">
              {lateText(m)}
            </span>
          </Row>
        )}
        <Row label={ui.detail.author}>
          {m.authorName} <span className="muted">· {roleLabel(m.authorRole, referential)}</span>
        </Row>
        <Row label={ui.detail.territory}>
          {m.territoryLabel} <span className="muted">· {fr.level[m.level]}</span>
        </Row>
        <Row label={ui.detail.state}>{m.pending ? ui.detail.pending : ui.detail.confirmed}</Row>
        {m.replaces && (
          <Row label={ui.detail.replaces}>
            <LinkedMessage id={m.replaces} />
          </Row>
        )}
        {m.replacedBy && (
          <Row label={ui.detail.replacedBy}>
            <LinkedMessage id={m.replacedBy} />
          </Row>
        )}
        {m.corrects && (
          <Row label={ui.detail.corrects}>
            <LinkedMessage id={m.corrects} />
          </Row>
        )}
        {m.correctedBy.length > 0 && (
          <Row label={ui.detail.correctedBy}>
            <ul className="plain">
              {m.correctedBy.map((id) => (
                <li key={id}>
                  <LinkedMessage id={id} />
                </li>
              ))}
            </ul>
          </Row>
        )}
      </dl>
      <div className="detail-actions">
        {m.canAck && !m.ackedByMe && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="ack-button"
            disabled={acking}
            onClick={() => void acknowledge(m.id)}
          >
            {acking ? ui.detail.ackSending : ui.detail.ack}
            <kbd>{ui.detail.ackKey}</kbd>
          </button>
        )}
        {m.kind === 'consigne' && m.ackedByMe && <span className="badge badge-ok">{ui.detail.acked}</span>}
        {m.kind === 'demande' && canStartTransfer && (
          <button
            type="button"
            className="btn"
            data-testid="message-start-transfer"
            onClick={() => {
              useTransfers.getState().startFrom({ summary: m.body.slice(0, 2000), comment: ui.transfers.fromMessageComment(excerpt(m.body, 80)) });
              useUi.getState().setBoard('transfers');
            }}
          >
            {ui.transfers.fromMessage}
          </button>
        )}
        {canCorrect && (
          <button type="button" className="btn" data-testid="correct-button" title={ui.detail.correctTitle} onClick={() => startCorrection(m)}>
            {ui.detail.correct}
          </button>
        )}
        {canNewVersion && (
          <button
            type="button"
            className="btn"
            data-testid="new-version-button"
            title={ui.detail.newVersionTitle}
            onClick={() => startNewVersion(m)}
          >
            {ui.detail.newVersion}
          </button>
        )}
      </div>
      {actionError && (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      )}
      {m.kind === 'consigne' && <AckPanel message={m} />}
    </div>
  );
}

