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
