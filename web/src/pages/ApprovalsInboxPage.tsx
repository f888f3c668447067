// The approvals inbox: every step in every activation that waits for the signed-in user, most
// urgent first, with the time left counting down live (red once overdue), a decision form
// (approve / reject / request changes, a comment required for the latter two, as the API says)
// and each request's history on demand. The server decides what is in the inbox; a decision is
// checked again on the request as it stands (409 when someone else decided first).

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { groupInbox, liveTimeLeft } from '../approvals.ts';
import { ApprovalHistory, DecisionForm, StepList, TimeLeft } from '../components/ApprovalParts.tsx';
import { useNames } from '../components/people.ts';
import { Badge, EmptyState, ErrorBanner, Loading, Notice, useAsync, useDocumentTitle, useNow } from '../components/ui.tsx';
import { DECISION_LABELS } from '../approvals.ts';
import { formatDateTime, humanize } from '../format.ts';
import type { Approval, ApprovalInbox, InboxItem, User } from '../types.ts';

export function ApprovalsInboxPage({ user }: { user: User }) {
  const [data, , reload] = useAsync<{ inbox: ApprovalInbox; fetchedAt: number }>(
    async (signal) => ({ inbox: await api.getInbox(signal), fetchedAt: Date.now() }),
    [],
  );
  const [done, setDone] = useState<string | null>(null);
  const [stale, setStale] = useState<string | null>(null);
  const now = useNow(5_000).getTime();
  useDocumentTitle('Approvals');

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1>Approvals</h1>
          <p class="muted">Items waiting for your decision, most urgent first.</p>
        </div>
        <button type="button" class="btn btn-ghost" onClick={reload}>
          Refresh
        </button>
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      {stale && (
        <div class="alert alert-warning" role="alert">
          {stale} The inbox was reloaded.
        </div>
      )}
      {data.state === 'loading' && <Loading />}
      {data.state === 'error' && <ErrorBanner error={data.error} title="The inbox could not be loaded." />}
      {data.state === 'ok' &&
        (data.data.inbox.items.length === 0 ? (
          <section class="card">
            <EmptyState title="Nothing waits for you">Approval requests that name you or your role appear here with the time left to decide.</EmptyState>
          </section>
        ) : (
          groupInbox(data.data.inbox.items).map((g) => (
            <section class="card" key={g.activationId} aria-labelledby={`inbox-${g.activationId}`}>
              <header class="card-header">
                <h2 id={`inbox-${g.activationId}`}>
                  <a href={`#/activations/${encodeURIComponent(g.activationId)}/approvals`}>{g.name}</a>
                </h2>
                <span class="muted small">
                  {g.items.length} waiting
                </span>
              </header>
              <ul class="inbox-list" data-testid="inbox">
                {g.items.map((it) => (
                  <InboxRow
                    key={`${it.approval_id}/${it.step}`}
                    item={it}
                    user={user}
                    timeLeft={liveTimeLeft(it.time_left_ms, data.data.fetchedAt, now)}
                    onDecided={(a, d) => {
                      setStale(null);
                      setDone(`${DECISION_LABELS[d]}: “${a.title}” (${it.step}) — recorded.`);
                      reload();
                    }}
                    onStale={(m) => {
                      setDone(null);
                      setStale(m);
                      reload();
                    }}
                  />
                ))}
              </ul>
            </section>
          ))
        ))}
    </div>
  );
}

function InboxRow({
  item: it,
  user,
  timeLeft,
  onDecided,
  onStale,
}: {
  item: InboxItem;
  user: User;
  timeLeft: number;
  onDecided: (a: Approval, d: keyof typeof DECISION_LABELS) => void;
  onStale: (m: string) => void;
}) {
  const [open, setOpen] = useState<'none' | 'decide' | 'history'>('none');
  const panelId = `inbox-panel-${it.approval_id}-${it.step.replace(/[^a-z0-9]+/gi, '-')}`;
  return (
    <li class={`inbox-item ${timeLeft < 0 || it.breached ? 'is-overdue' : ''}`} data-testid="inbox-item" data-approval-id={it.approval_id}>
      <div class="inbox-main">
        <div class="inbox-title">
          <span class="strong" data-testid="inbox-title">
            {it.title}
          </span>
          {it.subject && (
            <span class="muted small">
              {' '}
              · {humanize(it.subject.kind)} <span class="mono">{it.subject.id}</span>
            </span>
          )}
        </div>
        <div class="muted small meta-line">
          <span>From {it.org_name ?? 'an organisation'}</span>
          <span aria-hidden="true">·</span>
          <span>
            Step “{it.step}”{it.round && it.round > 1 ? `, round ${it.round}` : ''}
          </span>
          <span aria-hidden="true">·</span>
          <span>Due {formatDateTime(it.due_at)}</span>
        </div>
      </div>
      <div class="inbox-side">
        <TimeLeft ms={timeLeft} breached={it.breached} dueAt={it.due_at} />
        {it.escalation_level > 0 && <Badge tone="danger">Escalated (level {it.escalation_level})</Badge>}
        <div class="btn-row">
          <button type="button" class="btn btn-small btn-primary" aria-expanded={open === 'decide'} aria-controls={panelId} onClick={() => setOpen(open === 'decide' ? 'none' : 'decide')}>
            Decide
          </button>
          <button type="button" class="btn btn-small btn-ghost" aria-expanded={open === 'history'} aria-controls={panelId} onClick={() => setOpen(open === 'history' ? 'none' : 'history')}>
            History
          </button>
        </div>
      </div>
      {open !== 'none' && (
        <div class="inbox-panel" id={panelId}>
          {open === 'decide' && (
            <DecisionForm
              activationId={it.activation_id}
              approvalId={it.approval_id}
              step={it.step}
              version={it.version ?? 1}
              title={it.title}
              onDecided={onDecided}
              onStale={onStale}
            />
          )}
          {open === 'history' && <HistoryPanel item={it} user={user} />}
        </div>
      )}
    </li>
  );
}

function HistoryPanel({ item, user }: { item: InboxItem; user: User }) {
  const [data] = useAsync<{ approval: Approval; fetchedAt: number }>(
    async (signal) => ({ approval: await api.getApproval(item.activation_id, item.approval_id, signal), fetchedAt: Date.now() }),
    [item.activation_id, item.approval_id],
  );
  const nameOf = useNames(item.activation_id, user);
  const now = useNow(5_000).getTime();
  if (data.state === 'loading') return <Loading label="Loading the history…" />;
  if (data.state === 'error') return <ErrorBanner error={data.error} title="The history could not be loaded." />;
  const a = data.data.approval;
  return (
    <div class="history-panel">
      <h3 class="small-heading">Round {a.round}: steps</h3>
      <StepList steps={a.evaluation.steps} nameOf={nameOf} now={now} fetchedAt={data.data.fetchedAt} />
      <h3 class="small-heading">History</h3>
      <ApprovalHistory approval={a} nameOf={nameOf} />
    </div>
  );
}
