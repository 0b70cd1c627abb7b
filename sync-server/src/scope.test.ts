import { describe, expect, it } from 'vitest';
import { privateScope, Territories } from '../../common/territory';
import { ancestorsOrSelf, privatePathOf, roomsForChange, roomsForSocket, visibleTo } from './scope';

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

describe('private scopes', () => {
  const sockets = ['/FR/', '/FR/R:11/', '/FR/R:11/D:75/', '/FR/R:11/D:75/E:750100125/', '/FR/R:11/D:75/E:750100232/', '/FR/R:11/D:75/F:75-PMA1/', '/FR/R:53/D:29/'];

  it('give each territory a root path of its own, outside every branch', () => {
    expect(privatePathOf('/FR/R:11/D:75/E:750100125/')).toBe('/~E:750100125/');
    expect(privatePathOf('/FR/R:11/D:75/')).toBe('/~D:75/');
    expect(privatePathOf('/FR/')).toBe('/~FR/');
    const t = new Territories([{ code: '11', name: 'Île-de-France' }], [{ code: '75', name: 'Paris', region: '11' }], [
      { finess: '750100125', dep: '75', name: 'PITIE', shortName: 'Pitié', city: 'PARIS', lat: null, lon: null },
    ]);
    expect(t.scopePath(privateScope('E:750100125'))).toBe('/~E:750100125/');
    expect(t.scopePath(privateScope('D:75'))).toBe('/~D:75/');
    expect(t.scopePath('D:75')).toBe('/FR/R:11/D:75/');
    expect(t.scopePath('~E:999999999')).toBeNull();
    // No message or role can be addressed to one: the referential's `info` and `path` do not know them.
    expect(t.info('~D:75')).toBeNull();
    expect(t.path('~D:75')).toBeNull();
  });

  it('reach exactly the sockets of that territory, by pull rule and by room; not its ancestors, not its children', () => {
    const privates = ['/~D:75/', '/~E:750100125/', '/~R:11/'];
    for (const change of privates) {
      const rooms = new Set(roomsForChange(change));
      for (const socket of sockets) {
        const own = privatePathOf(socket) === change;
        expect(visibleTo(change, socket), `${change} → ${socket}`).toBe(own);
        expect(roomsForSocket(socket).some((r) => rooms.has(r)), `${change} → ${socket}`).toBe(own);
      }
    }
    // The branch rule is unchanged for ordinary paths, private rooms included.
    for (const change of ['/FR/', '/FR/R:11/D:75/', '/FR/R:11/D:75/E:750100125/']) {
      const rooms = new Set(roomsForChange(change));
      for (const socket of sockets) expect(roomsForSocket(socket).some((r) => rooms.has(r))).toBe(visibleTo(change, socket));
    }
  });
});
