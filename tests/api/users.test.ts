// The user lifecycle: admins change roles, manager and active flag, and rotate tokens; a manager is
// an active sales_manager outside the user's reports; a deactivated user or an old token gets 401
// with the next request; every change is kept with who made it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Persona } from './harness';

describe('the user lifecycle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const patch = (as: Persona, id: string, body: unknown) =>
    h.app.inject({ method: 'PATCH', url: `/v1/users/${id}`, headers: { authorization: `Bearer ${h.tokens[as]}` }, payload: body as object });
  const me = (token: string) => h.app.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization: `Bearer ${token}` } });
  const create = async (body: Record<string, unknown>) => {
    const response = await h.call('admin', 'POST', '/v1/users', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; token: string }>();
  };

  it('changes roles and manager, answers the user, and keeps who changed what', async () => {
    const { id, token } = await create({ name: 'Paula Promoted', email: 'paula@lead-to-cash.local', roles: ['viewer'] });
    const response = await patch('admin', id, { roles: ['sales_rep'], managerId: 'usr-manager' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id,
      name: 'Paula Promoted',
      email: 'paula@lead-to-cash.local',
      roles: ['sales_rep'],
      managerId: 'usr-manager',
      team: null,
      active: true,
    });
    expect((await me(token)).json()).toMatchObject({ roles: ['sales_rep'], managerId: 'usr-manager' });
    // Now in the manager's scope.
    expect((await h.call('manager', 'GET', '/v1/users')).json<{ id: string }[]>().map((u) => u.id)).toContain(id);
    expect((await patch('admin', id, { managerId: null })).json().managerId).toBeNull();
    const changes = await h.deps.db('user_changes').where({ user_id: id }).orderBy('id');
    expect(changes.map((c: { actor_id: string; change: unknown }) => [c.actor_id, c.change])).toEqual([
      ['usr-admin', { roles: { from: ['viewer'], to: ['sales_rep'] }, managerId: { from: null, to: 'usr-manager' } }],
      ['usr-admin', { managerId: { from: 'usr-manager', to: null } }],
    ]);
  });

  it('refuses a manager who is not an active sales_manager, on creation and on change', async () => {
    for (const managerId of ['usr-dach-1', 'usr-viewer', 'usr-finance', 'usr-nobody']) {
      const created = await h.call('admin', 'POST', '/v1/users', {
        name: 'Nora New',
        email: `nora.${managerId}@lead-to-cash.local`,
        roles: ['sales_rep'],
        managerId,
      });
      expect(created.statusCode, managerId).toBe(400);
      expect(created.json().error.details.issues[0].path).toBe('body.managerId');
      const changed = await patch('admin', 'usr-west-1', { managerId });
      expect(changed.statusCode, managerId).toBe(400);
      expect(changed.json().error.details.issues[0].path).toBe('body.managerId');
    }
    expect((await h.deps.db('users').where({ id: 'usr-west-1' }).first()).manager_id).toBe('usr-manager');
  });

  it('refuses a manager who would close a cycle, at any depth', async () => {
    const lead = await create({ name: 'Lena Lead', email: 'lena@lead-to-cash.local', roles: ['sales_manager'], managerId: 'usr-manager' });
    const deputy = await create({ name: 'Dana Deputy', email: 'dana@lead-to-cash.local', roles: ['sales_manager'], managerId: lead.id });
    for (const [user, managerId] of [
      ['usr-manager', lead.id],
      ['usr-manager', deputy.id],
      [lead.id, deputy.id],
      [lead.id, lead.id],
    ] as const) {
      const response = await patch('admin', user, { managerId });
      expect(response.statusCode, `${user} -> ${managerId}`).toBe(400);
      expect(response.json().error.details.issues[0]).toMatchObject({ path: 'body.managerId', message: expect.stringContaining('report') });
    }
    // Moving a report up the chain is no cycle.
    expect((await patch('admin', deputy.id, { managerId: 'usr-manager' })).statusCode).toBe(200);
  });

  it('refuses to leave reports without a sales_manager, or the system without an admin (409)', async () => {
    const demoted = await patch('admin', 'usr-manager', { roles: ['sales_rep'] });
    expect(demoted.statusCode).toBe(409);
    expect(demoted.json().error).toMatchObject({ code: 'has_reports', details: { reports: expect.arrayContaining(['usr-dach-1', 'usr-west-2']) } });
    expect((await patch('admin', 'usr-manager', { active: false })).json().error.code).toBe('has_reports');
    const lastAdmin = await patch('admin', 'usr-admin', { active: false });
    expect(lastAdmin.statusCode).toBe(409);
    expect(lastAdmin.json().error.code).toBe('last_admin');
    expect((await patch('admin', 'usr-admin', { roles: ['ops'] })).json().error.code).toBe('last_admin');
    expect((await h.deps.db('users').where({ id: 'usr-manager' }).first()).roles).toEqual(['sales_manager']);
  });

  it('deactivates a user: 401 with the next request, and back on reactivation', async () => {
    const { id, token } = await create({ name: 'Dora Departing', email: 'dora@lead-to-cash.local', roles: ['finance'] });
    expect((await me(token)).statusCode).toBe(200);
    expect((await patch('admin', id, { active: false })).json().active).toBe(false);
    const refused = await me(token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthorized');
    expect((await h.call('admin', 'GET', '/v1/users')).json<{ id: string }[]>().map((u) => u.id)).not.toContain(id);
    await patch('admin', id, { active: true });
    expect((await me(token)).statusCode).toBe(200);
  });

  it('rotates a token: the new one is shown once and works, the old one stops at once', async () => {
    const { id, token } = await create({ name: 'Tom Token', email: 'tom@lead-to-cash.local', roles: ['warehouse'] });
    const rotated = await h.call('admin', 'POST', `/v1/users/${id}/token`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json<{ id: string; token: string }>();
    expect(fresh.id).toBe(id);
    expect(fresh.token).not.toBe(token);
    expect((await me(token)).statusCode).toBe(401);
    expect((await me(fresh.token)).json()).toMatchObject({ id });
    const stored = await h.deps.db('user_changes').where({ user_id: id }).first();
    expect(stored).toMatchObject({ actor_id: 'usr-admin', change: { token: 'rotated' } });
    expect(JSON.stringify(stored)).not.toContain(fresh.token);
    expect((await h.call('admin', 'POST', '/v1/users/usr-nobody/token')).statusCode).toBe(404);
  });

  it('refuses bad changes with paths, and callers who are not admin', async () => {
    const cases: [unknown, string][] = [
      [{ roles: [] }, 'body.roles'],
      [{ roles: ['king'] }, 'body.roles.0'],
      [{ active: 'no' }, 'body.active'],
      [{ name: 'New Name' }, 'body.name'],
    ];
    for (const [body, path] of cases) {
      const response = await patch('admin', 'usr-viewer', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.details.issues[0].path, JSON.stringify(body)).toBe(path);
    }
    expect((await patch('admin', 'usr-nobody', { active: false })).statusCode).toBe(404);
    // An empty patch changes nothing, and leaves nothing in the audit.
    const before = await h.deps.db('user_changes').where({ user_id: 'usr-viewer' }).count('* as n');
    const empty = await patch('admin', 'usr-viewer', {});
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ id: 'usr-viewer', roles: ['viewer'] });
    expect(await h.deps.db('user_changes').where({ user_id: 'usr-viewer' }).count('* as n')).toEqual(before);
    for (const as of ['ops', 'manager', 'viewer'] as const) {
      expect((await patch(as, 'usr-viewer', { roles: ['admin'] })).statusCode, as).toBe(403);
      expect((await h.call(as, 'POST', '/v1/users/usr-viewer/token')).statusCode, as).toBe(403);
    }
    expect((await h.deps.db('users').where({ id: 'usr-viewer' }).first()).roles).toEqual(['viewer']);
  });
});
