import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { EmptyState, ErrorBanner, Loading, Muted, useAsync, useDocumentTitle } from '../components/ui.tsx';
import { compactJson, diffObjects, formatDateTime, humanize, shortHash } from '../format.ts';
import type { AuditEntry, AuditVerify } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

const MAX_DIFF_LINES = 6;

export function AuditPage({ id }: { id: string }) {
  const [data, , reload] = useAsync(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const [entries, verify] = await Promise.allSettled([api.listAudit(id, signal), api.verifyAudit(signal)]);
      return { activation, entries, verify };
    },
    [id],
  );
  useDocumentTitle(data.state === 'ok' ? `Audit trail · ${data.data.activation.name}` : 'Audit trail');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;
  const { activation: a, entries, verify } = data.data;

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="audit" />

      <div class="toolbar spread">
        {verify.status === 'fulfilled' ? (
          <VerifyBadge v={verify.value} />
        ) : (
          <span class="badge badge-warning" data-testid="chain-badge">
            Chain not verified: {verify.reason instanceof Error ? verify.reason.message : 'verification failed'}
          </span>
        )}
        <button type="button" class="btn btn-ghost" onClick={reload}>
          Refresh
        </button>
      </div>

      <section class="card">
        {entries.status === 'rejected' ? (
          <div class="card-body">
            <ErrorBanner error={entries.reason} title="The audit trail could not be loaded." />
          </div>
        ) : entries.value.items.length === 0 ? (
          <EmptyState title="No audit entries yet" />
        ) : (
          <AuditTable items={entries.value.items} />
        )}
      </section>
    </div>
  );
}

function VerifyBadge({ v }: { v: AuditVerify }) {
  if (v.ok) {
    return (
      <span class="verify verify-ok" data-testid="chain-badge" data-ok="true" title={`Chain head ${v.head}`}>
        <span class="verify-icon" aria-hidden="true">
          ✓
        </span>
        Chain verified{' '}
        <span class="verify-detail">
          {v.entries} entr{v.entries === 1 ? 'y' : 'ies'} · head <code>{shortHash(v.head, 12)}</code>
        </span>
      </span>
    );
  }
  return (
    <span class="verify verify-bad" data-testid="chain-badge" data-ok="false" role="alert">
      <span class="verify-icon" aria-hidden="true">
        !
      </span>
      Chain broken at entry {v.first_bad_seq}{' '}
      <span class="verify-detail">{v.reason}</span>
    </span>
  );
}

function AuditTable({ items }: { items: AuditEntry[] }) {
  const sorted = [...items].sort((x, y) => y.seq - x.seq);
  return (
    <div class="table-wrap">
      <table class="table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col" class="num">
              Seq
            </th>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((e) => (
            <tr key={e.seq} data-testid="audit-row" data-action={e.action}>
              <td class="num mono">{e.seq}</td>
              <td class="nowrap">{formatDateTime(e.at)}</td>
              <td class="nowrap">{e.actor_name || e.actor_id || <Muted>system</Muted>}</td>
              <td>
                <span class="badge badge-neutral mono">{e.action}</span>
              </td>
              <td class="nowrap">
                {humanize(e.entity_type)} <span class="muted mono" title={e.entity_id}>{shortHash(e.entity_id, 10)}</span>
              </td>
              <td>
                <Diff before={e.before} after={e.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Diff({ before, after }: { before: AuditEntry['before']; after: AuditEntry['after'] }) {
  const [open, setOpen] = useState(false);
  if (!before && !after) return <Muted>—</Muted>;
  const lines = diffObjects(before, after);
  if (lines.length === 0) return <Muted>No field changes</Muted>;
  const created = !before;
  const deleted = !after;
  const shown = open ? lines : lines.slice(0, MAX_DIFF_LINES);
  return (
    <div class="diff">
      {created && <div class="diff-kind">created</div>}
      {deleted && <div class="diff-kind">deleted</div>}
      {shown.map((l) => (
        <div class="diff-line" key={l.key}>
          <span class="diff-key">{l.key}</span>
          {created ? (
            <span class="diff-after" title={compactJson(l.after, 2000)}>{compactJson(l.after, 60)}</span>
          ) : deleted ? (
            <span class="diff-before" title={compactJson(l.before, 2000)}>{compactJson(l.before, 60)}</span>
          ) : (
            <>
              <span class="diff-before" title={compactJson(l.before, 2000)}>{compactJson(l.before, 60)}</span>
              <span class="diff-arrow" aria-label="changed to">
                →
              </span>
              <span class="diff-after" title={compactJson(l.after, 2000)}>{compactJson(l.after, 60)}</span>
            </>
          )}
        </div>
      ))}
      {lines.length > MAX_DIFF_LINES && (
        <button type="button" class="btn btn-link btn-small" onClick={() => setOpen(!open)}>
          {open ? 'Show less' : `+${lines.length - MAX_DIFF_LINES} more`}
        </button>
      )}
    </div>
  );
}
