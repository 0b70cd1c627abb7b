/** Seals the session token with the OS keystore (safeStorage), when one is available. */
import { safeStorage } from 'electron';
import type { SecretBox } from '../session/sessionFile';

export function safeStorageBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    seal: (s) => safeStorage.encryptString(s).toString('base64'),
    open: (s) => safeStorage.decryptString(Buffer.from(s, 'base64')),
  };
}
