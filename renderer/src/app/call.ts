/**
 * `api.call` for the stores, with one shared reaction: when main answers that nobody is
 * signed in (the session expired or was revoked on the server), the UI returns to the login
 * screen instead of showing the same error on every panel.
 */
import { api } from '../api';
import type { CallReply } from '../../../common/engine/calls';
import type { CallArgs, CallName, CallResult } from '../../../common/api';

type SignedOutHandler = (message: string) => void;
let signedOutHandler: SignedOutHandler | null = null;

/** Sets what happens when a call finds no session (one handler: the latest wins). */
export function onSignedOut(handler: SignedOutHandler | null): void {
  signedOutHandler = handler;
}

export async function call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReply<CallResult<K>>> {
  const reply = await api.call(name, args);
  if (!reply.ok && reply.error.code === 'not_logged_in') signedOutHandler?.(reply.error.message);
  return reply;
}
