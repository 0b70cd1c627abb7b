import { ui } from '../../../common/i18n/ui.fr';

/** The page of a board whose feature has not landed yet. */
export function ComingSoon({ board }: { board: string }) {
  return (
    <section className="coming-soon" data-testid="coming-soon">
      <h1>{ui.boards.comingTitle(board)}</h1>
      <p>{ui.boards.comingBody}</p>
    </section>
  );
}
