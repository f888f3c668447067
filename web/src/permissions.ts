// What the signed-in user may do, as far as the UI is concerned. The server is authoritative:
// these only decide which controls are shown.

import type { Activation, User } from './types.ts';

const HOST_EDITOR_ROLES = new Set(['owner', 'facilitator']);

/** May create activations: owners and facilitators of a host organisation. */
export function canCreateActivation(user: User | null | undefined): boolean {
  return !!user && user.org_kind === 'host' && HOST_EDITOR_ROLES.has(user.role);
}

/** May edit an activation's brief: owners and facilitators of the activation's host organisation. */
export function canEditBrief(user: User | null | undefined, activation: Pick<Activation, 'host_org_id'> | null | undefined): boolean {
  return !!user && !!activation && canCreateActivation(user) && user.org_id === activation.host_org_id;
}

/**
 * May write (create, move, edit, delete) a post published by `partnerOrgId`: brief editors any
 * post; otherwise users of that organisation other than viewers.
 */
export function canWritePost(
  user: User | null | undefined,
  activation: Pick<Activation, 'host_org_id'> | null | undefined,
  partnerOrgId: string,
): boolean {
  if (canEditBrief(user, activation)) return true;
  return !!user && !!activation && user.role !== 'viewer' && user.org_id === partnerOrgId;
}

/** May create posts at all (for their own organisation, or any when editing the brief). */
export function canCreatePost(user: User | null | undefined, activation: Pick<Activation, 'host_org_id'> | null | undefined): boolean {
  return !!user && !!activation && (canEditBrief(user, activation) || user.role !== 'viewer');
}

/** May create a calendar feed for the whole organisation: its owners and partner admins. */
export function canCreateOrgFeed(user: User | null | undefined): boolean {
  return !!user && (user.role === 'owner' || user.role === 'partner_admin');
}

/**
 * What the user may freeze (docs/publishing.md): the host's owners and facilitators the whole
 * activation or any partner's posts; a partner's owners and partner admins their own
 * organisation's posts. Only decides which buttons show; the server refuses anyone else.
 */
export function freezeScopes(user: User | null | undefined, activation: Pick<Activation, 'host_org_id'> | null | undefined): { activation: boolean; ownOrg: boolean } {
  if (!user || !activation) return { activation: false, ownOrg: false };
  if (canEditBrief(user, activation)) return { activation: true, ownOrg: true };
  return { activation: false, ownOrg: user.org_kind === 'partner' && (user.role === 'owner' || user.role === 'partner_admin') };
}
