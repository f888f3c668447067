// Publishing freezes: which freezes hold now, who froze and when (the API names the freezer
// `created_by` / `created_at`; `frozen_by` / `frozen_at` are read too), the banner's sentence,
// and what a lift or a freeze needs before it is sent. Pure functions: unit-tested in freeze.test.ts.

import { formatDateTime } from './format.ts';
import type { Freeze } from './types.ts';

export function frozenBy(f: Freeze): string {
  return f.created_by ?? f.frozen_by ?? '';
}

export function frozenAt(f: Freeze): string {
  return f.created_at ?? f.frozen_at ?? '';
}

/** The freezes that hold now, the whole-activation one first, then oldest first. */
export function activeFreezes(list: Freeze[]): Freeze[] {
  return list
    .filter((f) => f.active)
    .sort((a, b) => (a.scope === b.scope ? frozenAt(a).localeCompare(frozenAt(b)) : a.scope === 'activation' ? -1 : 1));
}

/**
 * "Publishing frozen since 21 Nov 2026, 06:40 by Olivia Okafor — reason: Crisis". A partner
 * freeze names the organisation it holds: "StreamCo's publishing frozen since …".
 */
export function freezeSentence(f: Freeze, nameOf: (userId: string) => string, orgName: (orgId: string) => string, timeZone?: string): string {
  const who = f.scope === 'partner' && f.org_id ? `${orgName(f.org_id)}'s publishing` : 'Publishing';
  return `${who} frozen since ${formatDateTime(frozenAt(f), undefined, timeZone)} by ${nameOf(frozenBy(f))} — ${f.reason}`;
}

/** Why a freeze or lift cannot be sent yet (a reason is required by the API), or null. */
export function reasonProblem(reason: string, what: 'freeze' | 'lift'): string | null {
  if (reason.trim() === '') return what === 'freeze' ? 'Say why publishing is frozen: a reason is required.' : 'Say why the freeze can be lifted: a reason is required.';
  if (reason.length > 1000) return 'Keep the reason within 1000 characters.';
  return null;
}
