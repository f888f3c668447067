// The gate board of an activation: the five phases (ideation → proof of concept → pilot → full
// deployment → retrospective) side by side with the current one highlighted; each gate's
// criteria with pass/fail and what was measured against what is needed, its checklist, its
// sign-offs, and the go/no-go form. Which controls appear is what the board's `caller_may`
// says, the same rules the API applies to each write, never guessed from roles here.

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError } from '../errors.ts';
import { criteriaToOverride, criterionText, decisionBody, decisionProblems, OUTCOME_LABELS, PHASE_LABELS, type DecisionDraft } from '../gates.ts';
import { useNames } from '../components/people.ts';
import type { NameOf } from '../components/ApprovalParts.tsx';
import { Badge, EmptyState, ErrorBanner, FieldError, Loading, Notice, useAsync, useDocumentTitle } from '../components/ui.tsx';
import { formatDateTime, humanize } from '../format.ts';
import type { Activation, GateBoard, GateCallerMay, GateCriterionResult, GatePhase, GatePhaseStatus, User } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

interface Loaded {
  activation: Activation;
  board: { ok: true; value: GateBoard } | { ok: false; error: unknown };
}

export function GatesPage({ user, id }: { user: User; id: string }) {
  const [data, setData, reload] = useAsync<Loaded>(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const board = await api.getGates(id, signal).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') throw error;
          return { ok: false as const, error };
        },
      );
      return { activation, board };
    },
    [id],
  );
  const [notice, setNotice] = useState<string | null>(null);
  const nameOf = useNames(id, user);

  useDocumentTitle(data.state === 'ok' ? `Gates · ${data.data.activation.name}` : 'Gates');
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;
  const { activation: a } = data.data;

  const refresh = async () => {
    try {
      const value = await api.getGates(id);
      setData({ activation: a, board: { ok: true, value } });
    } catch {
      reload();
    }
  };

  const board = data.data.board;
  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="gates" />
      {notice && <Notice kind="success">{notice}</Notice>}
      {!board.ok ? (
        <ErrorBanner error={board.error} title="The gate board could not be loaded." />
      ) : (
        <>
          <PhaseSteps board={board.value} />
          <div class="gate-board" data-testid="gate-board">
            {board.value.phases.map((p) => (
              <PhaseColumn key={p.phase} activationId={id} phase={p} may={board.value.caller_may} nameOf={nameOf} onChanged={refresh} />
            ))}
          </div>
          {board.value.caller_may.decide && !board.value.completed && (
            <DecisionCard
              activationId={id}
              phase={board.value.phases.find((p) => p.state === 'current')!}
              mayOverride={board.value.caller_may.override}
              onDecided={(text) => {
                setNotice(text);
                void refresh();
              }}
            />
          )}
          <DecisionLog board={board.value} nameOf={nameOf} />
        </>
      )}
    </div>
  );
}

function PhaseSteps({ board }: { board: GateBoard }) {
  return (
    <ol class="phase-steps" aria-label="Phases" data-testid="phase-steps">
      {board.phases.map((p, i) => (
        <li key={p.phase} class={`phase-step phase-${p.state}`} aria-current={p.state === 'current' ? 'step' : undefined} data-phase={p.phase}>
          <span class="phase-num" aria-hidden="true">
            {p.state === 'passed' ? '✓' : i + 1}
          </span>
          <span class="phase-name">{PHASE_LABELS[p.phase]}</span>
          <span class="sr-only"> ({p.state === 'passed' ? 'passed' : p.state === 'current' ? 'current phase' : 'upcoming'})</span>
        </li>
      ))}
      {board.completed && <li class="phase-step phase-passed">Completed</li>}
    </ol>
  );
}

function OutcomeBadge({ outcome }: { outcome: GateCriterionResult['outcome'] }) {
  return <Badge tone={outcome === 'pass' ? 'success' : outcome === 'fail' ? 'danger' : 'warning'}>{OUTCOME_LABELS[outcome]}</Badge>;
}

function PhaseColumn({
  activationId,
  phase: p,
  may,
  nameOf,
  onChanged,
}: {
  activationId: string;
  phase: GatePhaseStatus;
  may: GateCallerMay;
  nameOf: NameOf;
  onChanged: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The box shows the new state while the server records it, and the stored one after.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const labels = new Map((p.criteria?.checklist ?? []).map((c) => [c.id, c.label]));
  const marks = new Map(p.checklist.map((m) => [m.item_id, m]));
  const closed = p.state === 'passed';

  const tick = async (itemId: string, checked: boolean) => {
    if (busy !== null) return;
    setBusy(itemId);
    setPending({ [itemId]: checked });
    setError(null);
    try {
      await api.markChecklistItem(activationId, p.phase, itemId, checked);
      await onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
      setPending({});
    }
  };

  const criteria = p.evaluation.criteria;
  const others = criteria.filter((c) => c.kind !== 'checklist');
  const checklist = (p.criteria?.checklist ?? []).map((c) => ({ id: c.id, label: c.label }));

  return (
    <section class={`gate-col gate-${p.state}`} aria-labelledby={`gate-${p.phase}`} data-testid={`gate-${p.phase}`} data-state={p.state}>
      <header class="gate-col-head">
        <h2 id={`gate-${p.phase}`}>{PHASE_LABELS[p.phase]}</h2>
        {p.state === 'current' ? <Badge tone="accent">Current</Badge> : p.state === 'passed' ? <Badge tone="success">Passed</Badge> : <Badge tone="muted">Upcoming</Badge>}
      </header>
      {p.version === 0 ? (
        <p class="muted small">No criteria set: the gate is ready.</p>
      ) : (
        <p class="small">
          {p.ready ? <Badge tone="success">Ready</Badge> : <Badge tone="warning">Not ready</Badge>}{' '}
          <span class="muted">
            {p.evaluation.counts.pass} pass · {p.evaluation.counts.fail} fail · {p.evaluation.counts.unknown} unknown
          </span>
        </p>
      )}
      {others.length > 0 && (
        <ul class="criteria" aria-label={`${PHASE_LABELS[p.phase]} criteria`}>
          {others.map((c) => (
            <li key={c.id} class={`criterion criterion-${c.outcome}`} data-testid="criterion" data-criterion={c.id} title={c.message}>
              <OutcomeBadge outcome={c.outcome} /> <span>{criterionText(c)}</span>
            </li>
          ))}
        </ul>
      )}
      {checklist.length > 0 && (
        <fieldset class="checklist">
          <legend class="label">Checklist</legend>
          {checklist.map((item) => {
            const m = marks.get(item.id);
            const checked = pending[item.id] ?? m?.checked ?? false;
            const editable = may.tick_checklist && !closed;
            return (
              <div key={item.id} class="check-row" data-testid="checklist-item" data-item={item.id}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={checked}
                    disabled={!editable || (busy !== null && busy !== item.id)}
                    onChange={(e) => void tick(item.id, (e.target as HTMLInputElement).checked)}
                  />
                  <span>{labels.get(item.id) ?? item.label}</span>
                </label>
                {m?.changed_at && (
                  <div class="muted small check-meta">
                    {checked ? 'Ticked' : 'Unticked'} by {m.changed_by ? nameOf(m.changed_by) : 'someone'}, {formatDateTime(m.changed_at)}
                  </div>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {error && (
        <div class="alert alert-error small" role="alert">
          {error}
        </div>
      )}
      <SignOffs activationId={activationId} phase={p} maySignOff={may.sign_off} nameOf={nameOf} onChanged={onChanged} />
    </section>
  );
}

function SignOffs({
  activationId,
  phase: p,
  maySignOff,
  nameOf,
  onChanged,
}: {
  activationId: string;
  phase: GatePhaseStatus;
  maySignOff: boolean;
  nameOf: NameOf;
  onChanged: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsSignOff = (p.criteria?.approvals ?? []).length > 0;
  if (p.sign_offs.length === 0 && (!needsSignOff || p.state === 'passed')) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.signOffGate(activationId, p.phase, comment);
      setOpen(false);
      setComment('');
      await onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="sign-offs">
      <div class="label">Sign-offs</div>
      {p.sign_offs.length === 0 ? (
        <p class="muted small">None yet.</p>
      ) : (
        <ul class="plain-list small">
          {p.sign_offs.map((s) => (
            <li key={s.user_id}>
              ✓ {nameOf(s.user_id)} <span class="muted">({s.party} {humanize(s.role).toLowerCase()}, {formatDateTime(s.signed_at)})</span>
              {s.comment && <div class="quote">“{s.comment}”</div>}
            </li>
          ))}
        </ul>
      )}
      {maySignOff && p.state !== 'passed' && needsSignOff && !open && (
        <button type="button" class="btn btn-small btn-ghost" onClick={() => setOpen(true)}>
          Sign off…
        </button>
      )}
      {open && (
        <form onSubmit={submit} class="sign-off-form">
          <label class="label" for={`signoff-${p.phase}`}>
            Comment <span class="muted">(optional)</span>
          </label>
          <textarea id={`signoff-${p.phase}`} rows={2} maxLength={1000} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
          {error && (
            <div class="field-error" role="alert">
              {error}
            </div>
          )}
          <div class="btn-row">
            <button type="submit" class="btn btn-small btn-primary" disabled={busy}>
              Sign off {PHASE_LABELS[p.phase]}
            </button>
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function DecisionCard({
  activationId,
  phase: p,
  mayOverride,
  onDecided,
}: {
  activationId: string;
  phase: GatePhaseStatus;
  mayOverride: boolean;
  onDecided: (text: string) => void;
}) {
  const [draft, setDraft] = useState<DecisionDraft>({ verdict: '', reason: '', overrides: {} });
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notPassing = criteriaToOverride(p);
  const problems = decisionProblems(draft, notPassing);
  const shown = tried ? { ...problems, ...serverErrors } : serverErrors;

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setServerErrors({});
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const r = await api.decideGate(activationId, p.phase, decisionBody(draft));
      onDecided(r.verdict === 'go' ? `Go recorded for ${PHASE_LABELS[p.phase]}: the activation is now in ${PHASE_LABELS[r.current_phase]}.` : `No-go recorded for ${PHASE_LABELS[p.phase]}.`);
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        const m = /^overrides\[(\d+)\]/.exec(err.field);
        const ids = Object.keys(draft.overrides);
        const key = m && ids[Number(m[1])] ? `override:${ids[Number(m[1])]}` : err.field === 'reason' ? 'reason' : null;
        if (key) setServerErrors({ [key]: err.message });
        else setFormError(err.message);
      } else {
        setFormError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="decide-title" data-testid="gate-decision">
      <header class="card-header">
        <h2 id="decide-title">Go / no-go for {PHASE_LABELS[p.phase]}</h2>
      </header>
      <form class="card-body" onSubmit={submit} noValidate>
        <fieldset class="decision-choice">
          <legend class="label">Verdict</legend>
          <div class="segmented" role="radiogroup" aria-invalid={!!shown.verdict}>
            {(['go', 'no_go'] as const).map((v) => (
              <label key={v} class={`seg ${draft.verdict === v ? 'active' : ''}`}>
                <input type="radio" name="verdict" value={v} checked={draft.verdict === v} onChange={() => setDraft({ ...draft, verdict: v })} />
                {v === 'go' ? 'Go' : 'No-go'}
              </label>
            ))}
          </div>
          <FieldError field="verdict" message={shown.verdict} />
        </fieldset>
        <div class="field">
          <label class="label" for="gate-reason">
            Reason <span class="required">(required)</span>
          </label>
          <textarea
            id="gate-reason"
            rows={3}
            maxLength={4000}
            value={draft.reason}
            aria-invalid={!!shown.reason}
            onInput={(e) => setDraft({ ...draft, reason: (e.target as HTMLTextAreaElement).value })}
          />
          <FieldError field="reason" message={shown.reason} />
        </div>
        {draft.verdict === 'go' && notPassing.length > 0 && !mayOverride && (
          <p class="hint" data-testid="override-not-allowed">
            {notPassing.length === 1 ? 'One criterion is' : `${notPassing.length} criteria are`} not passing; only the host's owners and facilitators
            may override them, so a go has to wait until they pass.
          </p>
        )}
        {draft.verdict === 'go' && notPassing.length > 0 && mayOverride && (
          <fieldset class="fieldset">
            <legend>Criteria not passing</legend>
            <p class="hint">A go past these needs each overridden with its own reason (the host's owners and facilitators only).</p>
            {notPassing.map((c) => {
              const on = draft.overrides[c.id] !== undefined;
              const key = `override:${c.id}`;
              return (
                <div key={c.id} class="override-row" data-testid="override" data-criterion={c.id}>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={on}
                      onChange={(e) => {
                        const next = { ...draft.overrides };
                        if ((e.target as HTMLInputElement).checked) next[c.id] = '';
                        else delete next[c.id];
                        setDraft({ ...draft, overrides: next });
                      }}
                    />
                    <span>
                      Override <OutcomeBadge outcome={c.outcome} /> {criterionText(c)}
                    </span>
                  </label>
                  {on && (
                    <input
                      type="text"
                      aria-label={`Reason for overriding ${c.label}`}
                      placeholder="Why go ahead anyway"
                      maxLength={4000}
                      value={draft.overrides[c.id]}
                      aria-invalid={!!shown[key]}
                      onInput={(e) => setDraft({ ...draft, overrides: { ...draft.overrides, [c.id]: (e.target as HTMLInputElement).value } })}
                    />
                  )}
                  <FieldError field={key.replace(':', '-')} message={shown[key]} />
                </div>
              );
            })}
          </fieldset>
        )}
        {formError && (
          <div class="alert alert-error" role="alert">
            {formError}
          </div>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Recording…' : 'Record decision'}
        </button>
      </form>
    </section>
  );
}

function DecisionLog({ board, nameOf }: { board: GateBoard; nameOf: NameOf }) {
  return (
    <section class="card" aria-labelledby="gate-log-title">
      <header class="card-header">
        <h2 id="gate-log-title">Decisions</h2>
      </header>
      {board.decisions.length === 0 ? (
        <EmptyState title="No go/no-go recorded yet" />
      ) : (
        <div class="table-wrap">
          <table class="table gate-decisions" data-testid="gate-decisions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Gate</th>
                <th scope="col">Verdict</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {[...board.decisions].reverse().map((d) => (
                <tr key={d.id}>
                  <td class="nowrap">{formatDateTime(d.decided_at)}</td>
                  <td>{PHASE_LABELS[d.phase as GatePhase] ?? d.phase}</td>
                  <td>{d.verdict === 'go' ? <Badge tone="success">Go</Badge> : <Badge tone="danger">No-go</Badge>}</td>
                  <td>{nameOf(d.decided_by)}</td>
                  <td>
                    {d.reason}
                    {d.overrides.length > 0 && (
                      <div class="muted small">
                        Overrode {d.overrides.map((o) => `${o.criterion} (“${o.reason}”)`).join(', ')}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
