/** Whether the « Administration » panel is open (it belongs to no board: a dialog over the shell). */
import { create } from 'zustand';

interface AdminPanelStore {
  open: boolean;
  setOpen(open: boolean): void;
}

export const useAdminPanel = create<AdminPanelStore>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));

/** National and ARS accounts administer (docs/security.md, « Administration des comptes »); the server decides, this only hides the door. */
export function canAdminister(role: string | undefined): boolean {
  return role === 'national' || (role?.startsWith('ars:') ?? false);
}
