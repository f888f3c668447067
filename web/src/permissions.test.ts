import { describe, expect, it } from 'vitest';
import { canCreateActivation, canCreateOrgFeed, canCreatePost, canEditBrief, canWritePost, freezeScopes } from './permissions.ts';
import type { Role, User } from './types.ts';

const user = (org_kind: 'host' | 'partner', role: Role, org_id = 'org_acme'): User => ({
  id: 'u',
  email: 'u@x',
  name: 'U',
  org_id,
  org_name: 'Org',
  org_kind,
  role,
});

describe('permissions', () => {
  it('only host owners and facilitators create activations', () => {
    expect(canCreateActivation(user('host', 'owner'))).toBe(true);
    expect(canCreateActivation(user('host', 'facilitator'))).toBe(true);
    expect(canCreateActivation(user('host', 'viewer'))).toBe(false);
    expect(canCreateActivation(user('host', 'workstream_owner'))).toBe(false);
    expect(canCreateActivation(user('partner', 'partner_admin'))).toBe(false);
    expect(canCreateActivation(user('partner', 'owner'))).toBe(false);
    expect(canCreateActivation(null)).toBe(false);
  });
  it('brief editing is limited to the hosting organisation', () => {
    expect(canEditBrief(user('host', 'owner'), { host_org_id: 'org_acme' })).toBe(true);
    expect(canEditBrief(user('host', 'owner', 'org_other'), { host_org_id: 'org_acme' })).toBe(false);
    expect(canEditBrief(user('host', 'contributor'), { host_org_id: 'org_acme' })).toBe(false);
    expect(canEditBrief(user('partner', 'partner_admin'), { host_org_id: 'org_acme' })).toBe(false);
  });
  it('posts: brief editors write any post, other users only their organisation\'s, viewers none', () => {
    const act = { host_org_id: 'org_acme' };
    expect(canWritePost(user('host', 'owner'), act, 'org_streamco')).toBe(true);
    expect(canWritePost(user('partner', 'partner_admin', 'org_streamco'), act, 'org_streamco')).toBe(true);
    expect(canWritePost(user('partner', 'contributor', 'org_streamco'), act, 'org_streamco')).toBe(true);
    expect(canWritePost(user('partner', 'partner_admin', 'org_streamco'), act, 'org_nova')).toBe(false);
    expect(canWritePost(user('partner', 'viewer', 'org_streamco'), act, 'org_streamco')).toBe(false);
    expect(canWritePost(user('host', 'workstream_owner'), act, 'org_acme')).toBe(true);
    expect(canWritePost(user('host', 'workstream_owner'), act, 'org_streamco')).toBe(false);
    expect(canWritePost(user('host', 'viewer'), act, 'org_acme')).toBe(false);
    expect(canCreatePost(user('host', 'viewer'), act)).toBe(false);
    expect(canCreatePost(user('partner', 'contributor', 'org_streamco'), act)).toBe(true);
    expect(canWritePost(null, act, 'org_acme')).toBe(false);
  });
  it('team calendar feeds are for owners and partner admins', () => {
    expect(canCreateOrgFeed(user('host', 'owner'))).toBe(true);
    expect(canCreateOrgFeed(user('partner', 'partner_admin', 'org_streamco'))).toBe(true);
    expect(canCreateOrgFeed(user('host', 'facilitator'))).toBe(false);
    expect(canCreateOrgFeed(user('partner', 'contributor', 'org_streamco'))).toBe(false);
  });
  it('lets host editors freeze anything and partner admins their own posts', () => {
    const act = { host_org_id: 'org_acme' };
    expect(freezeScopes(user('host', 'facilitator'), act)).toEqual({ activation: true, ownOrg: true });
    expect(freezeScopes(user('host', 'viewer'), act)).toEqual({ activation: false, ownOrg: false });
    expect(freezeScopes(user('partner', 'partner_admin', 'org_s'), act)).toEqual({ activation: false, ownOrg: true });
    expect(freezeScopes(user('partner', 'contributor', 'org_s'), act)).toEqual({ activation: false, ownOrg: false });
  });
});
