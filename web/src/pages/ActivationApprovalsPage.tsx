// An activation's approval requests as the API lets the caller see them (the host every one; a
// partner its own and those naming it), oldest first: state, round, each step with its time
// left, the decision form on steps awaiting the caller, and the history of rounds and decisions.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { DECISION_LABELS } from '../approvals.ts';
import { ApprovalHistory, ApprovalStateBadge, DecisionForm, StepList } from '../components/ApprovalParts.tsx';
import { useNames } from '../components/people.ts';
import { EmptyState, ErrorBanner, Loading, Notice, useAsync, useDocumentTitle, useNow } from '../components/ui.tsx';
import { formatDateTime, humanize } from '../format.ts';
import type { Activation, Approval, User } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

interface Loaded {
  activation: Activation;
  approvals: { ok: true; items: Approval[] } | { ok: false; error: unknown };
  fetchedAt: number;
}

export function ActivationApprovalsPage({ user, id }: { user: User; id: string }) {
  const [data, , reload] = useAsync<Loaded>(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const approvals = await api.listApprovals(id, signal).then(
        (r) => ({ ok: true as const, items: r.items ?? [] }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') throw error;
          return { ok: false as const, error };
        },
      );
      return { activation, approvals, fetchedAt: Date.now() };
    },
    [id],
  );
  const nameOf = useNames(id, user);
  const now = useNow(5_000).getTime();
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  useDocumentTitle(data.state === 'ok' ? `Approvals · ${data.data.activation.name}` : 'Approvals');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;
  const { activation: a, approvals, fetchedAt } = data.data;

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="approvals" />
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {!approvals.ok ? (
        <ErrorBanner error={approvals.error} title="The approval requests could not be loaded." />
      ) : approvals.items.length === 0 ? (
        <section class="card">
          <EmptyState title="No approval requests">
            Posts, assets and brief versions put up for approval appear here with their steps and deadlines. Your own waiting items are also in{' '}
            <a href="#/approvals">your inbox</a>.
          </EmptyState>
        </section>
      ) : (
        <section class="card" aria-labelledby="approvals-title">
          <header class="card-header">
            <h2 id="approvals-title">Approval requests</h2>
            <button type="button" class="btn btn-ghost btn-small" onClick={reload}>
              Refresh
            </button>
          </header>
          <ul class="approval-list" data-testid="approval-list">
            {approvals.items.map((ap) => (
              <li key={ap.id} class="approval-item" data-testid="approval-item" data-approval-id={ap.id}>
                <div class="approval-head">
                  <span class="strong">{ap.title}</span> <ApprovalStateBadge state={ap.state} />
                  <span class="muted small">
                    {' '}
                    · {ap.org_name} · {humanize(ap.subject.kind)} <span class="mono">{ap.subject.id}</span> · round {ap.round} · put up {formatDateTime(ap.created_at)}
                  </span>
                </div>
                <StepList steps={ap.evaluation.steps} nameOf={nameOf} now={now} fetchedAt={fetchedAt} />
                {ap.awaiting_you.map((step) => (
                  <DecideToggle key={step} step={step}>
                    <DecisionForm
                      activationId={a.id}
                      approvalId={ap.id}
                      step={step}
                      version={ap.version}
                      title={ap.title}
                      onDecided={(r, d) => {
                        setNotice({ kind: 'success', text: `${DECISION_LABELS[d]}: “${r.title}” (${step}) — recorded.` });
                        reload();
                      }}
                      onStale={(m) => {
                        setNotice({ kind: 'warning', text: `${m} The list was reloaded.` });
                        reload();
                      }}
                    />
                  </DecideToggle>
                ))}
                <details class="approval-details">
                  <summary>History</summary>
                  <ApprovalHistory approval={ap} nameOf={nameOf} />
                </details>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** The decision form of a step awaiting the caller, opened on demand to keep the list short. */
function DecideToggle({ step, children }: { step: string; children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="decide-toggle">
      <button type="button" class="btn btn-small btn-primary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Close' : `Decide on “${step}”`}
      </button>
      {open && children}
    </div>
  );
}
