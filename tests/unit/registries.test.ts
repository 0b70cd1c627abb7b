/** Each process's registry of boards matches the shared one: a board added in common/ but forgotten in a process fails here. */
import { describe, expect, it } from 'vitest';
import { boards } from '../../common/boards';
import { mainBoards } from '../../main/boards';
import { serverBoards } from '../../sync-server/src/boards';

describe('per-process registries', () => {
  it('the main process has each board’s part, in the shared order, caching exactly its entities', () => {
    expect(mainBoards.map((b) => b.board)).toEqual([...boards]);
    for (const b of mainBoards) {
      expect(b.entities.map((e) => e.entity.name), b.board.name).toEqual(b.board.entities.map((e) => e.name));
      for (const e of b.entities) {
        expect(e.keyColumns.length, e.entity.name).toBeGreaterThan(0);
        expect(e.overlay, e.entity.name).toMatch(/^ov_/);
      }
    }
  });

  it('the sync server has each board’s part, in the shared order, with a current table for every latest-only entity', () => {
    expect(serverBoards.map((b) => b.board)).toEqual([...boards]);
    for (const b of serverBoards) {
      const latest = (b as { latest?: Record<string, unknown> }).latest ?? {};
      for (const e of b.board.entities) {
        if (e.pull === 'latest') expect(latest[e.name], `${b.board.name}: ${e.name}`).toEqual({ table: expect.any(String), index: expect.any(String) });
        else expect(latest[e.name], `${b.board.name}: ${e.name}`).toBeUndefined();
      }
    }
  });

  it('every slice a mutator declares exists on both sides', () => {
    const onClient = new Set<string>(mainBoards.map((b) => b.board.name));
    const onServer = new Set<string>(serverBoards.map((b) => b.board.name));
    for (const b of boards) {
      for (const [name, def] of Object.entries(b.mutators)) {
        for (const s of def.slices) {
          expect(onClient.has(s), `${name}: client slice ${s}`).toBe(true);
          expect(onServer.has(s), `${name}: server slice ${s}`).toBe(true);
        }
      }
    }
  });
});
