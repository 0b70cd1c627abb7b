/** The renderer's registry follows the shared one (as `tests/unit/registries.test.ts` checks main's and the server's). */
import { describe, expect, it } from 'vitest';
import { BOARDS } from './app/shortcuts';
import { READY_BOARDS } from './app/boards';
import { rendererBoards } from './boards';
import { boards } from '../../common/boards';

describe('the renderer’s registry of boards', () => {
  it('has each shared board’s part, in the shared order, each a board of the navigation', () => {
    expect(rendererBoards.map((b) => b.id)).toEqual(boards.map((b) => b.name));
    for (const b of rendererBoards) expect(BOARDS).toContain(b.id);
  });

  it('marks exactly its boards as ready; the others show the "à venir" page', () => {
    expect([...READY_BOARDS]).toEqual(['eventlog', 'beds', 'transfers', 'stocks']);
  });
});
