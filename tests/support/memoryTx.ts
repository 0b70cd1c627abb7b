/** The boards' transaction slices over plain maps, and helpers to run mutators as a given role: the mutators' contract without any SQL. */

import { runMutator as runRegistered } from '../../common/boards';
import type { BedsTx } from '../../common/domain/beds/tx';
import type { UnitReport } from '../../common/domain/beds/model';
import type { EventLogTx } from '../../common/domain/eventlog/tx';
import type { Ack, CrisisEvent, Message } from '../../common/domain/eventlog/model';
import type { RoomPost, RoomShift } from '../../common/domain/eventlog/room';
import { MutationRejected, type Actor, type MutationContext } from '../../common/engine/mutation';
import { actorFor, testTerritories } from './referential';

const territories = testTerritories();

/** Every board's slice over plain maps: the mutators' contract without any SQL. */
export class MemoryTx implements EventLogTx, BedsTx {
  events = new Map<string, CrisisEvent>();
  messages = new Map<string, Message>();
  acks = new Map<string, Ack>();
  openEvents() {
    return [...this.events.values()].filter((e) => e.status === 'open').sort((a, b) => b.openedAt.localeCompare(a.openedAt) || a.id.localeCompare(b.id));
  }
  getEvent(id: string) {
    return this.events.get(id);
  }
  getMessage(id: string) {
    return this.messages.get(id);
  }
  isReplaced(id: string) {
    return [...this.messages.values()].some((m) => m.replaces === id);
  }
  getAck(messageId: string, territory: string) {
    return this.acks.get(`${messageId}|${territory}`);
  }
  roomPostRows = new Map<string, RoomPost>();
  roomShiftRows = new Map<string, RoomShift>();
  getRoomPost(id: string) {
    return this.roomPostRows.get(id);
  }
  roomPosts(eventId: string, room: string) {
    return [...this.roomPostRows.values()].filter((p) => p.eventId === eventId && p.room === room);
  }
  putRoomPost(p: RoomPost) {
    this.roomPostRows.set(p.id, p);
  }
  getRoomShift(id: string) {
    return this.roomShiftRows.get(id);
  }
  roomShifts(postId: string) {
    return [...this.roomShiftRows.values()].filter((s) => s.postId === postId);
  }
  putRoomShift(s: RoomShift) {
    this.roomShiftRows.set(s.id, s);
  }
  hasCriticalCare(finess: string) {
    return this.reports.some((r) => r.finess === finess);
  }
  putEvent(e: CrisisEvent) {
    this.events.set(e.id, e);
  }
  insertMessage(m: Message) {
    this.messages.set(m.id, m);
  }
  putAck(a: Ack) {
    this.acks.set(`${a.messageId}|${a.territory}`, a);
  }
  reports: UnitReport[] = [];
  /** The latest report by observation time (equal times: the one written last), as the stores keep it. */
  getCurrentReport(finess: string, unitId: string) {
    let best: UnitReport | undefined;
    for (const r of this.reports) if (r.finess === finess && r.unitId === unitId && (!best || Date.parse(r.at) >= Date.parse(best.at))) best = r;
    return best;
  }
  getReport(id: string) {
    return this.reports.find((r) => r.id === id);
  }
  insertReport(r: UnitReport) {
    this.reports.push(r);
  }
}

export const actor = (roleText: string, name = roleText): Actor => actorFor(`u-${roleText}`, roleText, name);
/** A mutation context as the server builds it for a push (`via` another path where a test says so). */
export const ctx = (roleText: string, via = 'sync'): MutationContext => ({ actor: actor(roleText), at: '2020-03-24T08:00:00.000Z', territories, via });

let seq = 0;
export const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export function reason(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof MutationRejected) return e.message;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** Runs a registered mutator against a MemoryTx (which holds every slice). */
export function runMutator(tx: MemoryTx, name: string, args: unknown, c: MutationContext): void {
  runRegistered(() => tx, name, args, c);
}
