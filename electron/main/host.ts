import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { createCore, dataKeysOf, DB_FILE_NAME, type Core, type HostPorts, type KeyProvider } from '../core';
import { listBackups } from '../core/backup/files';
import { verifyDatabaseFile } from '../core/backup/verify';
import { restoreAtStartup } from '../core/backup/restore';
import { DEFAULT_TIME_ZONE, formatLocal } from '../../shared/domain/time';
import { AppError } from '../../shared/errors';
import { translate } from '../../shared/i18n';
import { isKeyMissing } from './locked';

const t = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key, params);

function parentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

/** Native save and open dialogs for backups: the renderer never names a path itself. */
export function hostPorts(): HostPorts {
  const filters = [{ name: t('backup.file_filter'), extensions: ['db'] }];
  return {
    chooseBackupDestination: async (suggestedName) => {
      const options = { title: t('backup.to_file'), defaultPath: path.join(app.getPath('documents'), suggestedName), filters };
      const win = parentWindow();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    chooseBackupSource: async () => {
      const options = { title: t('backup.import'), properties: ['openFile' as const], filters };
      const win = parentWindow();
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}

/** Errors after which the data folder's own backups may be offered: the file is there but unusable. */
const RESTORABLE = new Set(['storage.corrupt', 'storage.not_sqlite', 'storage.foreign', 'storage.unreadable', 'storage.open_failed']);

/**
 * Opens the core. When the database cannot be used, explains why in the user's language and, if the
 * data folder holds a backup that verifies, offers to restore it (the unusable file is kept under
 * `replaced/`, never deleted). A record this workstation holds no key for is not an error here: it is
 * returned as `keyMissing`, and the window asks for the recovery passphrase (electron/main/locked.ts).
 * Returns null when the app should quit.
 */
export function openCore(dataDir: string, nativeBinding: string | undefined, keyProvider: KeyProvider): Core | { keyMissing: AppError } | null {
  const options = { dataDir, host: hostPorts(), keyProvider, ...(nativeBinding ? { nativeBinding } : {}) };
  for (;;) {
    try {
      return createCore(options);
    } catch (err) {
      if (isKeyMissing(err)) return { keyMissing: err };
      const appErr = err instanceof AppError ? err : null;
      const key = typeof appErr?.details.key === 'string' ? appErr.details.key : 'storage.open_failed';
      const message = `${t(key, appErr?.details.params as Record<string, string | number> | undefined)}\n\n${dataDir}`;
      const backup = RESTORABLE.has(key) ? newestRestorableBackup(dataDir, nativeBinding, keyProvider) : null;
      if (!backup) {
        dialog.showErrorBox(t('recovery.title'), `${message}\n\n${(err as Error).message}`);
        return null;
      }
      const choice = dialog.showMessageBoxSync({
        type: 'error',
        title: t('recovery.title'),
        message: t('recovery.title'),
        detail: `${message}\n\n${t('recovery.offer', { name: backup.name, time: formatLocal(backup.createdAt, DEFAULT_TIME_ZONE) })}`,
        buttons: [t('recovery.restore'), t('recovery.quit')],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      });
      if (choice !== 0) return null;
      try {
        const r = restoreAtStartup(path.join(dataDir, DB_FILE_NAME), backup.file, new Date().toISOString(), DEFAULT_TIME_ZONE, {
          keyProvider,
          ...(nativeBinding ? { nativeBinding } : {}),
        });
        dialog.showMessageBoxSync({ type: 'info', title: t('recovery.title'), message: t('recovery.done', { replaced: r.replacedAs }), buttons: ['OK'] });
      } catch (restoreErr) {
        const k = restoreErr instanceof AppError && typeof restoreErr.details.key === 'string' ? restoreErr.details.key : 'storage.open_failed';
        dialog.showErrorBox(t('recovery.title'), `${t('recovery.failed')}\n\n${t(k)}\n\n${(restoreErr as Error).message}`);
        return null;
      }
    }
  }
}

/** The record's data keys as this workstation unwraps them; none when it cannot (then only a plain backup verifies). */
function recordKeys(dataDir: string, keyProvider: KeyProvider): Buffer[] {
  try {
    return dataKeysOf(dataDir, keyProvider);
  } catch (err) {
    if (err instanceof AppError) return [];
    throw err;
  }
}

function newestRestorableBackup(dataDir: string, nativeBinding: string | undefined, keyProvider: KeyProvider): { name: string; file: string; createdAt: string } | null {
  const keys = recordKeys(dataDir, keyProvider);
  for (const b of listBackups(dataDir, DEFAULT_TIME_ZONE)) {
    const file = path.join(dataDir, 'backups', b.name);
    if (verifyDatabaseFile(file, { keys, ...(nativeBinding ? { nativeBinding } : {}) }).ok) return { name: b.name, file, createdAt: b.createdAt };
  }
  return null;
}
