import { describe, expect, it } from 'vitest';
import { ancestorsOrSelf, roomsForChange, roomsForSocket } from './scope';

describe('scope rooms', () => {
  it('lists ancestors broadest first', () => {
    expect(ancestorsOrSelf('/FR/R:11/D:75/')).toEqual(['/FR/', '/FR/R:11/', '/FR/R:11/D:75/']);
    expect(ancestorsOrSelf('/FR/')).toEqual(['/FR/']);
  });

  it('make a change meet exactly the sockets on its branch', () => {
    const sockets = ['/FR/', '/FR/R:11/', '/FR/R:11/D:75/', '/FR/R:11/D:75/E:750100125/', '/FR/R:53/', '/FR/R:53/D:29/', '/FR/R:11/D:77/'];
    const changes = ['/FR/', '/FR/R:11/', '/FR/R:11/D:75/', '/FR/R:11/D:75/E:750100125/', '/FR/R:53/D:29/'];
    for (const change of changes) {
      const rooms = new Set(roomsForChange(change));
      for (const socket of sockets) {
        const meets = roomsForSocket(socket).some((r) => rooms.has(r));
        const sameBranch = socket.startsWith(change) || change.startsWith(socket);
        expect(meets, `${change} → ${socket}`).toBe(sameBranch);
      }
    }
  });
});
