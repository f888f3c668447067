// The publishing freeze switch of an activation: a red banner for each freeze that holds
// ("Publishing frozen since … by … — reason") with Lift, and a "Freeze publishing" button whose
// confirm dialog asks for the required reason (and, for the host, whether the whole activation
// or one partner's posts). Which button shows follows the API's documented rule
// (permissions.ts); the server stays authoritative and its refusal is shown as it says it.
// Renders nothing when the server has no freeze routes (404 on a visible activation).

import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError } from '../errors.ts';
import { activeFreezes, freezeSentence, reasonProblem } from '../freeze.ts';
import { freezeScopes } from '../permissions.ts';
import type { Activation, Freeze, Partner, User } from '../types.ts';
import { useNames } from './people.ts';
import { FieldError } from './ui.tsx';

export function FreezePanel({ activation: a, user, onChanged }: { activation: Activation; user: User; onChanged?: () => void }) {
  const [freezes, setFreezes] = useState<Freeze[] | null>(null);
  const [partners, setPartners] = useState<Partner[]>([]);
  const [missing, setMissing] = useState(false);
  const [tick, setTick] = useState(0);
  const [dialog, setDialog] = useState<{ kind: 'freeze' } | { kind: 'lift'; freeze: Freeze } | null>(null);
  const nameOf = useNames(a.id, user);

  useEffect(() => {
    const ctl = new AbortController();
    api.listFreezes(a.id, ctl.signal).then(
      (r) => setFreezes(r.items ?? r.freezes ?? []),
      (e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else setFreezes([]);
      },
    );
    api.listPartners(a.id, ctl.signal).then(
      (r) => setPartners(r.items ?? []),
      () => {
        // Partner names only label partner freezes; ids are shown without them.
      },
    );
    return () => ctl.abort();
  }, [a.id, tick]);

  if (missing || freezes === null) return null;
  const orgName = (id: string) => (id === a.host_org_id ? a.host_org_name : partners.find((p) => p.org_id === id)?.org_name ?? id);
  const scopes = freezeScopes(user, a);
  const active = activeFreezes(freezes);
  const mayLift = (f: Freeze) => scopes.activation || (f.scope === 'partner' && f.org_id === user.org_id && scopes.ownOrg);
  const changed = () => {
    setDialog(null);
    setTick((t) => t + 1);
    onChanged?.();
  };

  return (
    <div class="freeze-area" data-testid="freeze-area">
      {active.map((f) => (
        <div key={f.id} class="freeze-banner" role="alert" data-testid="freeze-banner" data-freeze-id={f.id}>
          <span>{freezeSentence(f, nameOf, orgName)}</span>
          {mayLift(f) && (
            <button type="button" class="btn btn-small" onClick={() => setDialog({ kind: 'lift', freeze: f })}>
              Lift
            </button>
          )}
        </div>
      ))}
      {(scopes.activation || scopes.ownOrg) && !active.some((f) => f.scope === 'activation') && (
        <div class="freeze-bar">
          <button type="button" class="btn btn-danger-solid" onClick={() => setDialog({ kind: 'freeze' })} data-testid="freeze-switch">
            Freeze publishing…
          </button>
        </div>
      )}
      {dialog && (
        <ReasonDialog
          title={dialog.kind === 'freeze' ? 'Freeze publishing' : 'Lift the freeze'}
          what={dialog.kind}
          intro={
            dialog.kind === 'freeze'
              ? 'Every scheduled post the freeze covers stops at once: publications are refused until it is lifted.'
              : freezeSentence(dialog.freeze, nameOf, orgName)
          }
          scopes={
            dialog.kind === 'freeze'
              ? [
                  ...(scopes.activation ? [{ value: 'activation', label: 'The whole activation' }] : []),
                  ...(scopes.activation
                    ? partners.map((p) => ({ value: p.org_id, label: `${p.org_name}'s posts only` }))
                    : [{ value: user.org_id, label: `${user.org_name}'s posts` }]),
                ]
              : []
          }
          confirm={dialog.kind === 'freeze' ? 'Freeze publishing' : 'Lift the freeze'}
          onCancel={() => setDialog(null)}
          onConfirm={async (reason, scope) => {
            if (dialog.kind === 'lift') await api.liftFreeze(a.id, dialog.freeze.id, reason);
            else if (scope === 'activation') await api.freeze(a.id, { scope: 'activation', reason });
            else await api.freeze(a.id, { scope: 'partner', org_id: scope, reason });
            changed();
          }}
        />
      )}
    </div>
  );
}

function ReasonDialog({
  title,
  what,
  intro,
  scopes,
  confirm,
  onCancel,
  onConfirm,
}: {
  title: string;
  what: 'freeze' | 'lift';
  intro: string;
  scopes: { value: string; label: string }[];
  confirm: string;
  onCancel: () => void;
  onConfirm: (reason: string, scope: string) => Promise<void>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState(scopes[0]?.value ?? '');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const problem = reasonProblem(reason, what);
  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim(), scope);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="freeze-dialog-title" data-testid="freeze-dialog" onClose={onCancel}>
      <form class="dialog-box" onSubmit={submit} noValidate>
        <header class="dialog-header">
          <h2 id="freeze-dialog-title">{title}</h2>
          <button type="button" class="btn btn-icon btn-close" aria-label="Close" onClick={() => ref.current?.close()}>
            ×
          </button>
        </header>
        <p>{intro}</p>
        {scopes.length > 1 && (
          <div class="field">
            <label class="label" for="freeze-scope">
              What to freeze
            </label>
            <select id="freeze-scope" value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
              {scopes.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label class="label" for="freeze-reason">
            Reason <span class="required">(required)</span>
          </label>
          <textarea
            id="freeze-reason"
            rows={3}
            maxLength={1000}
            value={reason}
            aria-invalid={tried && !!problem}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
          <FieldError field="freeze-reason" message={tried ? problem : null} />
        </div>
        {error && (
          <div class="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div class="btn-row">
          <button type="submit" class={`btn ${what === 'freeze' ? 'btn-danger-solid' : 'btn-primary'}`} disabled={busy}>
            {confirm}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
