/**
 * The desktop app's cache key: wrapped by Electron's safeStorage (the OS keystore), never
 * kept behind Linux's `basic_text` fallback unless the administrator's policy allows it.
 * Call once the app is ready (safeStorage answers only then on Linux).
 */
import { safeStorage } from 'electron';
import { chooseKeyProtection, fileProtector, keyFileSource, type CacheKeySource, type KeyProtector } from '../store/cipherKey';
import { safeStorageBox } from './secretBox';

/** The key sealed the way the session token is (secretBox.ts), as base64 text. */
function safeStorageProtector(): KeyProtector {
  const box = safeStorageBox();
  if (!box) throw new Error('safeStorage is not available');
  return {
    protection: 'safeStorage',
    wrap: (key) => box.seal(key.toString('base64')),
    unwrap: (wrapped) => Buffer.from(box.open(wrapped), 'base64'),
  };
}

/**
 * The cache key's source in `dataDir`. Throws the French reason when the workstation has no
 * keystore worth the name and `allowBasicText` (from the policy, issue 12) is false.
 */
export function desktopCacheKey(dataDir: string, opts: { allowBasicText: boolean }): CacheKeySource {
  const choice = chooseKeyProtection({
    platform: process.platform,
    available: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
    allowBasicText: opts.allowBasicText,
  });
  if ('refused' in choice) throw new Error(choice.refused);
  return keyFileSource(dataDir, choice.protection === 'safeStorage' ? safeStorageProtector() : fileProtector);
}
