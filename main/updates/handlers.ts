/** ConsoleApi calls of the desktop app's update: its status, and the restart into it. */
import type { HandlerTable } from '../handlers';
import type { UpdateService } from './controller';

export function registerUpdateHandlers(table: HandlerTable, updates: UpdateService): void {
  table.register('update.status', () => updates.status());
  table.register('update.restart', () => updates.restart());
}
