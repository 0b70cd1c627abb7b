/**
 * Cell renderers of the message grid, written against the DOM rather than React: the grid
 * creates and recycles them for every row scrolled into view, and plain elements keep a
 * 50,000-row log smooth where a React portal per cell does not.
 */
import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import type { MessageView } from '../../../common/domain/eventlog/api';
import { lateText } from './format';

function badge(text: string, className: string, title?: string, name?: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = `badge ${className}`;
  el.textContent = text;
  if (title) el.title = title;
  if (name) el.dataset.badge = name;
  return el;
}

abstract class DomCell implements ICellRendererComp<MessageView> {
  protected gui: HTMLElement = document.createElement('span');
  init(params: ICellRendererParams<MessageView>): void {
    this.render(params.data);
  }
  getGui(): HTMLElement {
    return this.gui;
  }
  refresh(params: ICellRendererParams<MessageView>): boolean {
    this.render(params.data);
    return true;
  }
  protected abstract render(m: MessageView | undefined): void;
}

export class PriorityCell extends DomCell {
  protected render(m: MessageView | undefined): void {
    this.gui.className = m ? `badge badge-prio-${m.priority}` : '';
    this.gui.textContent = m ? (fr.priority[m.priority] ?? m.priority) : '';
  }
}

export class KindCell extends DomCell {
  protected render(m: MessageView | undefined): void {
    this.gui.className = m ? `kind kind-${m.kind}` : '';
    this.gui.textContent = m ? (fr.kind[m.kind] ?? m.kind) : '';
  }
}

/** en attente, remplacée (a link to the new version), corrigé, correction, accusés x/y. */
export class StatusCell extends DomCell {
  protected render(m: MessageView | undefined): void {
    this.gui.className = 'badges';
    this.gui.replaceChildren();
    if (!m) return;
    if (m.pending) this.gui.append(badge(ui.badges.pending, 'badge-pending', ui.badges.pendingTitle, 'pending'));
    // Written offline and delivered late: its time in the log is the author's, far back.
    const late = lateText(m);
    if (late) this.gui.append(badge(ui.late.badge, 'badge-late', late, 'late'));
    if (m.replacedBy) {
      const target = m.replacedBy;
      const link = document.createElement('button');
      link.type = 'button';
      link.className = 'badge badge-superseded badge-link';
      link.title = ui.badges.supersededTitle;
      link.dataset.badge = 'superseded';
      link.textContent = `${ui.badges.superseded} →`;
      link.addEventListener('click', (e) => {
        e.stopPropagation();
        useEventLog.getState().selectMessage(target);
      });
      this.gui.append(link);
    }
    if (m.correctedBy.length > 0) this.gui.append(badge(ui.badges.corrected, 'badge-corrected', ui.badges.correctedTitle, 'corrected'));
    if (m.corrects) this.gui.append(badge(ui.badges.correction, 'badge-outline', ui.badges.correctionTitle, 'correction'));
    if (m.kind === 'consigne' && !m.replacedBy) {
      const complete = m.expectedAckCount > 0 && m.ackCount >= m.expectedAckCount;
      this.gui.append(badge(ui.badges.acks(m.ackCount, m.expectedAckCount), complete ? 'badge-ok' : 'badge-acks', ui.badges.acksTitle, 'acks'));
    }
  }
}
