/** The policy as the renderer sees it, and the user's own notifications choice that the policy may override. */
import type { HandlerTable } from '../handlers';
import type { WorkstationFile } from '../firstRun/workstation';
import type { WorkstationPolicy } from './index';

export function notificationState(policy: WorkstationPolicy, workstation: WorkstationFile): { enabled: boolean; userChoice: boolean } {
  return { enabled: policy.notificationsEnabled(workstation.read().notifications ?? true), userChoice: policy.view().notificationsUserChoice };
}

export function registerPolicyHandlers(table: HandlerTable, deps: { policy: WorkstationPolicy; workstation: WorkstationFile }): void {
  table.register('app.policy', () => deps.policy.view());
  table.register('app.notifications', () => notificationState(deps.policy, deps.workstation));
  table.register('app.setNotifications', ({ enabled }) => {
    // Under a policy that decides, the user's choice is kept for later but changes nothing now.
    deps.workstation.update({ notifications: enabled });
    return notificationState(deps.policy, deps.workstation);
  });
}
