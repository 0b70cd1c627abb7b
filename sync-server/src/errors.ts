/** Turns anything thrown into one log line (stack included); never sent to a client. */
export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
