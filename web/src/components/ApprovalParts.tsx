// Pieces shared by the approvals inbox and an activation's approvals tab: the live time-left
// badge, the decision form (approve / reject / request changes, with the comment the API
// requires for the latter two) and a request's history of rounds and decisions.

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { approvalHistory, commentRequired, DECISION_LABELS, decisionProblem, formatTimeLeft, urgency } from '../approvals.ts';
import { ApiError } from '../errors.ts';
import { formatDateTime, humanize } from '../format.ts';
import type { Approval, ApprovalDecisionKind, ApprovalStepStatus } from '../types.ts';
import { Badge, FieldError } from './ui.tsx';

/** "due in 3 h 20 min" in neutral, amber within four hours, red once overdue; the due time in the tooltip. */
export function TimeLeft({ ms, breached, dueAt }: { ms: number; breached?: boolean; dueAt?: string }) {
  const u = urgency(ms, breached);
  return (
    <span
      class={`time-left time-left-${u}`}
      data-testid="time-left"
      data-urgency={u}
      title={dueAt ? `Due ${formatDateTime(dueAt)}` : undefined}
    >
      {formatTimeLeft(ms)}
    </span>
  );
}

const STATE_TONE: Record<string, string> = {
  pending: 'info',
  waiting: 'muted',
  approved: 'success',
  rejected: 'danger',
  changes_requested: 'warning',
  cancelled: 'muted',
};

export function ApprovalStateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONE[state] ?? 'neutral'}>{humanize(state)}</Badge>;
}

/** Who a user id is, as far as this page knows ("you" for the signed-in user). */
export type NameOf = (userId: string) => string;

/**
 * Decides one step. `version` is the request's version as last read; a 409 (someone decided
 * meanwhile) is reported through `onStale` so the caller reloads.
 */
export function DecisionForm({
  activationId,
  approvalId,
  step,
  version,
  title,
  onDecided,
  onStale,
}: {
  activationId: string;
  approvalId: string;
  step: string;
  version: number;
  title: string;
  onDecided: (a: Approval, decision: ApprovalDecisionKind) => void;
  onStale: (message: string) => void;
}) {
  const [decision, setDecision] = useState<ApprovalDecisionKind>('approve');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const problem = decisionProblem(decision, comment);
  const idBase = `decide-${approvalId}-${step.replace(/[^a-z0-9]+/gi, '-')}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const a = await api.decideApproval(activationId, approvalId, step, decision, comment, version);
      onDecided(a, decision);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) onStale(err.message);
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="decision-form" onSubmit={submit} aria-label={`Decide “${title}”, step ${step}`} data-testid="decision-form" noValidate>
      <fieldset class="decision-choice">
        <legend class="label">Decision on step “{step}”</legend>
        <div class="segmented" role="radiogroup">
          {(Object.keys(DECISION_LABELS) as ApprovalDecisionKind[]).map((d) => (
            <label key={d} class={`seg ${decision === d ? 'active' : ''}`}>
              <input type="radio" name={`${idBase}-decision`} value={d} checked={decision === d} onChange={() => setDecision(d)} />
              {DECISION_LABELS[d]}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label class="label" for={`${idBase}-comment`}>
          Comment {commentRequired(decision) ? <span class="required">(required)</span> : <span class="muted">(optional)</span>}
        </label>
        <textarea
          id={`${idBase}-comment`}
          name="comment"
          rows={2}
          maxLength={4000}
          value={comment}
          aria-invalid={tried && !!problem}
          aria-describedby={tried && problem ? `err-${idBase}-comment` : undefined}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
        />
        <FieldError field={`${idBase}-comment`} message={tried ? problem : null} />
      </div>
      {error && (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <button type="submit" class={`btn ${decision === 'approve' ? 'btn-primary' : 'btn-danger'}`} disabled={busy}>
        {busy ? 'Sending…' : DECISION_LABELS[decision]}
      </button>
    </form>
  );
}

/** Each step of the current round: its state, who approved, time left or when it completed. */
export function StepList({ steps, nameOf, now, fetchedAt }: { steps: ApprovalStepStatus[]; nameOf: NameOf; now: number; fetchedAt: number }) {
  return (
    <ol class="step-list" data-testid="approval-steps">
      {steps.map((s) => (
        <li key={s.name} class="step-item">
          <span class="strong">{s.name}</span> <ApprovalStateBadge state={s.state} />
          {s.state === 'pending' && s.time_left_ms !== undefined && (
            <>
              {' '}
              <TimeLeft ms={s.time_left_ms - Math.max(0, now - fetchedAt)} breached={s.breached} dueAt={s.due_at} />
            </>
          )}
          {s.escalation_level > 0 && (
            <>
              {' '}
              <Badge tone="danger">Escalated (level {s.escalation_level})</Badge>
            </>
          )}
          {s.approved_by.length > 0 && <span class="muted small"> · approved by {s.approved_by.map(nameOf).join(', ')}</span>}
          {s.state === 'pending' && (s.owed_users.length > 0 || s.owed_roles.length > 0) && (
            <span class="muted small"> · waiting for {[...s.owed_users.map(nameOf), ...s.owed_roles.map(humanizeRole)].join(', ')}</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** "host:owner" → "host owners". */
export function humanizeRole(r: string): string {
  const [side, role] = r.includes(':') ? (r.split(':') as [string, string]) : ['', r];
  return `${side ? side + ' ' : ''}${humanize(role).toLowerCase()}s`;
}

/** Every round with its decisions, oldest first. */
export function ApprovalHistory({ approval, nameOf }: { approval: Approval; nameOf: NameOf }) {
  const rounds = approvalHistory(approval);
  return (
    <ol class="history" data-testid="approval-history">
      {rounds.map((r) => (
        <li key={r.round}>
          <div>
            <span class="strong">Round {r.round}</span>{' '}
            <span class="muted small">
              started {formatDateTime(r.started_at)} by {nameOf(r.started_by)}
            </span>
            {r.comment && <div class="small quote">“{r.comment}”</div>}
          </div>
          {r.decisions.length === 0 ? (
            <div class="muted small">No decisions yet.</div>
          ) : (
            <ul class="history-decisions">
              {r.decisions.map((d) => (
                <li key={d.seq}>
                  <ApprovalStateBadge state={d.decision === 'approve' ? 'approved' : d.decision === 'reject' ? 'rejected' : 'changes_requested'} />{' '}
                  <span>
                    {nameOf(d.user_id)} on “{d.step}”, {formatDateTime(d.at)}
                  </span>
                  {d.comment && <div class="small quote">“{d.comment}”</div>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
