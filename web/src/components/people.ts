// Names for user ids on the governance pages. The API names people only where it shows them
// (workstream RACI, audit entries); approval and gate records carry ids. This builds the best
// name the page can know without asking for more than the caller may already see.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { User } from '../types.ts';
import type { NameOf } from './ApprovalParts.tsx';

/** Names from the activation's workstreams (owners and RACI), "you" for the signed-in user. */
export function useNames(activationId: string | null, user: User): NameOf {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!activationId) return;
    const ctl = new AbortController();
    api.listWorkstreams(activationId, ctl.signal).then(
      (r) => {
        const m = new Map<string, string>();
        for (const w of r.items ?? []) {
          m.set(w.primary_owner_id, w.primary_owner_name);
          for (const e of w.raci ?? []) m.set(e.user_id, e.user_name);
        }
        setNames(m);
      },
      () => {
        // Names are a courtesy: without them the ids are shown.
      },
    );
    return () => ctl.abort();
  }, [activationId]);
  return (id: string) => (id === user.id ? `${user.name} (you)` : names.get(id) ?? id);
}
