/**
 * The event log's transaction slice: what its mutators may read and write. Reads see
 * everything the process holds for this user (on the client: the server's rows with pending
 * mutations on top). Writes carry `version: 0`; the store stamps the real version.
 */
import type { TerritoryKey } from '../../territory';
import type { Ack, CrisisEvent, Message } from './model';
import type { RoomPost, RoomShift } from './room';

export interface EventLogTx {
  getEvent(id: string): CrisisEvent | undefined;
  /** The events still open, most recently opened first (where another board's step leaves its line). */
  openEvents(): CrisisEvent[];
  getMessage(id: string): Message | undefined;
  /** True when a consigne that replaces `messageId` exists. */
  isReplaced(messageId: string): boolean;
  getAck(messageId: string, territory: TerritoryKey): Ack | undefined;
  /**
   * True when the bed board, as this process holds it, has at least one unit of the
   * establishment (every unit type of the bed board is critical care): what a critical-care
   * distribution list is checked against, so the server judges it from its own bed data.
   */
  hasCriticalCare(finess: string): boolean;
  putEvent(event: CrisisEvent): void;
  insertMessage(message: Message): void;
  putAck(ack: Ack): void;
  /** Reinforcement room: a post, the posts of a room in an event (closed ones too), and their writes. */
  getRoomPost(id: string): RoomPost | undefined;
  roomPosts(eventId: string, room: TerritoryKey): RoomPost[];
  putRoomPost(post: RoomPost): void;
  getRoomShift(id: string): RoomShift | undefined;
  /** The shifts of a post, cancelled ones too. */
  roomShifts(postId: string): RoomShift[];
  putRoomShift(shift: RoomShift): void;
}
