// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoomPostView, RoomShiftView, RoomView } from '../../../common/domain/eventlog/api';
import { RoomPanel } from './RoomPanel';
import { useRoom } from './roomStore';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const EVENT = '0b6c1f4e-2d7a-4c1e-9f3a-5e8d7c6b5a41';
const POST = '1c7d2e5f-3e8b-4d2f-8a4b-6f9e8d7c6b52';
const T0 = Date.parse('2026-11-30T12:43:50Z');

function post(shifts: RoomShiftView[]): RoomPostView {
  return {
    id: POST,
    eventId: EVENT,
    room: 'SR:75',
    label: 'Ligne Covid 2',
    kind: 'phone',
    openedAt: '2026-11-30T08:00:00Z',
    openedBy: 'Dr Marc Dubois',
    closedAt: null,
    closedBy: null,
    version: 1,
    pending: false,
    shifts,
  };
}
const room = (shifts: RoomShiftView[]): RoomView[] => [{ room: 'SR:75', label: 'SAMU 75', canEdit: true, posts: [post(shifts)] }];

let root: Root;
let host: HTMLDivElement;
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  // The panel's reads go through the bridge; here the store is filled directly.
  useRoom.setState({ rooms: room([]), error: null, show: () => undefined, refresh: async () => undefined });
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.useRealTimers();
});

const current = () => host.querySelector('[data-testid="room-current"]')?.textContent ?? '';

describe('reinforcement room panel', () => {
  it('shows a shift just put on a post as holding it, without waiting for the clock’s next tick', () => {
    act(() => root.render(<RoomPanel />));
    expect(current()).toContain('Non tenu');
    // 15 s later (the panel's 30 s tick has not come), a shift starting at this minute is written.
    act(() => vi.advanceTimersByTime(15_000));
    const startsAt = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const shift = {
      id: '2d8e3f6a-4f9c-4e3a-9b5c-7a0f9e8d7c63',
      postId: POST,
      eventId: EVENT,
      room: 'SR:75',
      person: 'Julie Bernard',
      qualification: 'ARM',
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 12 * 3_600_000).toISOString(),
      assignedBy: 'Dr Marc Dubois',
      assignedAt: new Date().toISOString(),
      cancelledAt: null,
      cancelledBy: null,
      version: 2,
      pending: true,
    } satisfies RoomShiftView;
    expect(Date.parse(startsAt)).toBeGreaterThan(T0);
    act(() => useRoom.setState({ rooms: room([shift]) }));
    expect(current()).toContain('Julie Bernard');
  });
});
