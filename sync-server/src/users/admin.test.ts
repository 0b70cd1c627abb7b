/**
 * Over the raw protocol (a real server on 127.0.0.1, real socket.io clients): who may
 * create, list, rename, disable and enable whom. An administrator (national, ARS) manages
 * the accounts strictly below its own territory and nothing else; the others manage none.
 * Disabling is one action: the account's sessions end and its live sockets are cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminWire, type AdminUser } from '../../../common/admin/api';
import { fr } from '../../../common/i18n/fr';
import type { Reply } from '../../../common/protocol';
import { startTestServer, TEST_PASSWORD, type ClientSocket, type TestServer } from '../testing/server';

const PITIE = '750100125';
const BREST = '290004324';
const NEW_PASSWORD = 'une phrase de passe assez longue';

let server: TestServer;
const sockets: Record<string, ClientSocket> = {};
let n = 0;

async function connectAs(username: string): Promise<ClientSocket> {
  const { token } = await server.login(username);
  return server.socket(token, `client-admin-${username}-${++n}`);
}

beforeAll(async () => {
  server = await startTestServer();
  for (const [name, role] of [
    ['national', 'national'],
    ['ars11', 'ars:11'],
    ['ars53', 'ars:53'],
    ['samu75', 'samu:75'],
    ['pitie', `establishment:${PITIE}`],
  ] as const) {
    await server.user(name, role);
    sockets[name] = await connectAs(name);
  }
}, 30_000);
afterAll(() => server.stop());

function create(as: string, role: string, username: string): Promise<Reply<AdminUser>> {
  return sockets[as].emitWithAck(adminWire.create, { username, displayName: `Compte ${username}`, role, password: NEW_PASSWORD });
}

describe('who may create whom', () => {
  const allowed: Array<[string, string]> = [
    ['national', 'ars:84'],
    ['national', 'samu:13'],
    ['ars11', 'samu:75'],
    ['ars11', 'samu:92'],
    ['ars11', `establishment:${PITIE}`],
    ['ars11', `pui:${PITIE}`],
    ['ars11', 'field:75-PMA-GARE-DE-LYON'],
    ['ars53', `establishment:${BREST}`],
  ];
  it.each(allowed)('%s may create %s', async (as, role) => {
    const username = `new-${as}-${role.replace(/[^a-z0-9]/gi, '')}`;
    const r = await create(as, role, username);
    expect(r).toMatchObject({ data: { username, role, disabled: false } });
    // The account logs in with the password it was given.
    await expect(server.login(username, NEW_PASSWORD)).resolves.toMatchObject({ user: { role } });
  });

  const refused: Array<[string, string, string]> = [
    ['national', 'national', fr.admin.outOfTerritory('national')],
    ['ars11', 'national', fr.admin.outOfTerritory('national')],
    ['ars11', 'ars:84', fr.admin.outOfTerritory('ars:84')],
    ['ars11', 'ars:11', fr.admin.outOfTerritory('ars:11')],
    ['ars11', 'samu:29', fr.admin.outOfTerritory('samu:29')],
    ['ars11', `establishment:${BREST}`, fr.admin.outOfTerritory(`establishment:${BREST}`)],
    ['ars11', `pui:${BREST}`, fr.admin.outOfTerritory(`pui:${BREST}`)],
    ['ars53', 'samu:75', fr.admin.outOfTerritory('samu:75')],
    ['samu75', 'field:75-PMA-GARE-DE-LYON', fr.admin.notAdministrator],
    ['pitie', `pui:${PITIE}`, fr.admin.notAdministrator],
  ];
  it.each(refused)('%s may not create %s', async (as, role, message) => {
    const username = `refused-${as}-${role.replace(/[^a-z0-9]/gi, '')}`;
    expect(await create(as, role, username)).toEqual({ error: { code: 'forbidden', message } });
    expect(await server.app.store.findUserByUsername(username)).toBeUndefined();
  });

  it('refuses a password the policy refuses, a bad role and a taken username, in French, creating nothing', async () => {
    const weak = await sockets.ars11.emitWithAck(adminWire.create, { username: 'faible', displayName: 'Faible', role: 'samu:77', password: 'azerty' });
    expect(weak).toMatchObject({ error: { code: 'bad_request' } });
    expect('error' in weak && weak.error.message).toMatch(/^Mot de passe/);
    expect(await create('ars11', 'chef:75', 'mauvais-role')).toEqual({ error: { code: 'bad_request', message: fr.server.badRole('chef:75') } });
    expect(await create('ars11', 'samu:77', 'samu75')).toEqual({ error: { code: 'bad_request', message: fr.server.userExists('samu75') } });
    expect(await server.app.store.findUserByUsername('faible')).toBeUndefined();
    const bad = await sockets.ars11.emitWithAck(adminWire.create, { username: 'x', role: 'samu:77' } as never);
    expect(bad).toMatchObject({ error: { code: 'bad_request' } });
    expect('error' in bad && bad.error.message).toMatch(/^Requête invalide/);
  });
});

describe('listing, renaming, disabling', () => {
  it('an ARS lists the accounts of its région below it, the national level every account below it, the others nothing', async () => {
    const ars11 = await sockets.ars11.emitWithAck(adminWire.users, {});
    if (!('data' in ars11)) throw new Error(ars11.error.message);
    const roles = ars11.data.map((u) => u.role);
    expect(roles).toContain('samu:75');
    expect(roles).toContain(`establishment:${PITIE}`);
    expect(roles).not.toContain('ars:11');
    expect(roles).not.toContain('national');
    expect(roles.filter((r) => r.includes(BREST) || r === 'ars:53' || r === 'samu:13')).toEqual([]);
    const national = await sockets.national.emitWithAck(adminWire.users, {});
    if (!('data' in national)) throw new Error(national.error.message);
    expect(national.data.map((u) => u.role)).toEqual(expect.arrayContaining(['ars:11', 'ars:53', 'samu:75']));
    expect(national.data.map((u) => u.role)).not.toContain('national');
    expect(await sockets.samu75.emitWithAck(adminWire.users, {})).toEqual({ error: { code: 'forbidden', message: fr.admin.notAdministrator } });
  });

  it('an ARS renames an account of its région; another ARS cannot, and learns nothing of it', async () => {
    const samu = await server.app.store.findUserByUsername('samu75');
    if (!samu) throw new Error('no samu75');
    expect(await sockets.ars11.emitWithAck(adminWire.rename, { userId: samu.id, displayName: 'SAMU de Paris — régulation' })).toMatchObject({ data: { displayName: 'SAMU de Paris — régulation' } });
    expect((await server.app.store.getUser(samu.id))?.displayName).toBe('SAMU de Paris — régulation');
    expect(await sockets.ars53.emitWithAck(adminWire.rename, { userId: samu.id, displayName: 'Pirate' })).toEqual({ error: { code: 'forbidden', message: fr.admin.noSuchUser } });
    expect(await sockets.ars53.emitWithAck(adminWire.rename, { userId: '00000000-0000-4000-8000-000000000000', displayName: 'Pirate' })).toEqual({ error: { code: 'forbidden', message: fr.admin.noSuchUser } });
    expect((await server.app.store.getUser(samu.id))?.displayName).toBe('SAMU de Paris — régulation');
  });

  it('nobody disables their own account or one of their level', async () => {
    const ars11 = await server.app.store.findUserByUsername('ars11');
    if (!ars11) throw new Error('no ars11');
    expect(await sockets.ars11.emitWithAck(adminWire.setDisabled, { userId: ars11.id, disabled: true })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await sockets.ars53.emitWithAck(adminWire.setDisabled, { userId: ars11.id, disabled: true })).toMatchObject({ error: { code: 'forbidden' } });
    expect((await server.app.store.getUser(ars11.id))?.disabled).toBe(false);
  });

  it('disabling is one action: the live socket is cut at once, the token refused, login refused; enabling lets the user back', async () => {
    await server.user('samu77', 'samu:77');
    const victim = await connectAs('samu77');
    const { token } = await server.login('samu77');
    const user = await server.app.store.findUserByUsername('samu77');
    if (!user) throw new Error('no samu77');
    const cut = new Promise<string>((resolve) => victim.once('disconnect', (reason) => resolve(reason)));
    expect(await sockets.ars11.emitWithAck(adminWire.setDisabled, { userId: user.id, disabled: true })).toMatchObject({ data: { username: 'samu77', disabled: true } });
    expect(await cut).toBe('io server disconnect');
    await expect(server.socket(token, 'client-admin-samu77-again')).rejects.toThrow(fr.protocol.unauthenticated);
    await expect(server.login('samu77')).rejects.toThrow(/401/);
    expect(await sockets.ars11.emitWithAck(adminWire.setDisabled, { userId: user.id, disabled: false })).toMatchObject({ data: { disabled: false } });
    await expect(server.login('samu77', TEST_PASSWORD)).resolves.toMatchObject({ user: { username: 'samu77' } });
  });
});
