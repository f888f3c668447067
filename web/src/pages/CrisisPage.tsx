// The crisis tab of an activation, read in a hurry: the incident roster in call order (duty,
// person, backup, a dialable phone) and the crisis-response templates as cards, each with its
// pre-approval (or an amber draft badge), the text ready to copy, and an "Approve version N"
// button on drafts. The button is shown to everyone: only the server knows who may pre-approve
// (the host's owners and facilitators, in person), and its refusal is shown on the card.

import { useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { channelLabel, dutyLabel, formatDay, revisionNote, rosterInCallOrder, telHref, templateBadge } from '../crisis.ts';
import type { NameOf } from '../components/ApprovalParts.tsx';
import { useNames } from '../components/people.ts';
import { Badge, EmptyState, ErrorBanner, Loading, useAsync, useDocumentTitle } from '../components/ui.tsx';
import { formatDateTime } from '../format.ts';
import type { Activation, CrisisTemplate, IncidentRoster, User } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

type Part<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Loaded {
  activation: Activation;
  roster: Part<IncidentRoster>;
  templates: Part<CrisisTemplate[]>;
}

/** One part of the page failing to load leaves the other readable. */
function settle<T>(p: Promise<T>): Promise<Part<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      return { ok: false as const, error };
    },
  );
}

export function CrisisPage({ user, id }: { user: User; id: string }) {
  const [data, setData] = useAsync<Loaded>(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const [roster, templates] = await Promise.all([
        settle(api.getIncidentRoster(id, signal)),
        settle(api.listCrisisTemplates(id, signal).then((r) => r.items ?? [])),
      ]);
      return { activation, roster, templates };
    },
    [id],
  );
  const nameOf = useNames(id, user);
  useDocumentTitle(data.state === 'ok' ? `Crisis · ${data.data.activation.name}` : 'Crisis');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;
  const { activation: a, roster, templates } = data.data;

  const replaceTemplate = (next: CrisisTemplate) => {
    if (!templates.ok) return;
    setData({ ...data.data, templates: { ok: true, value: templates.value.map((x) => (x.id === next.id ? next : x)) } });
  };

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="crisis" />
      <RosterSection roster={roster} nameOf={nameOf} />
      <section class="card" aria-labelledby="crisis-templates-title">
        <header class="card-header">
          <h2 id="crisis-templates-title">Crisis-response templates</h2>
        </header>
        {!templates.ok ? (
          <div class="card-body">
            <ErrorBanner error={templates.error} title="The crisis templates could not be loaded." />
          </div>
        ) : templates.value.length === 0 ? (
          <EmptyState title="No crisis templates yet">
            Holding statements drafted and pre-approved before anything goes wrong, so that in an incident the team posts an approved text instead of writing one.
          </EmptyState>
        ) : (
          <ul class="crisis-templates" data-testid="crisis-templates">
            {templates.value.map((t) => (
              <TemplateCard key={t.id} activationId={id} template={t} nameOf={nameOf} onApproved={replaceTemplate} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function RosterSection({ roster, nameOf }: { roster: Part<IncidentRoster>; nameOf: NameOf }) {
  return (
    <section class="card" aria-labelledby="incident-roster-title">
      <header class="card-header">
        <h2 id="incident-roster-title">Incident roster</h2>
        {roster.ok && roster.value.updated_at && (
          <span class="muted small">
            Updated {formatDateTime(roster.value.updated_at)}
            {roster.value.updated_by ? ` by ${nameOf(roster.value.updated_by)}` : ''}
          </span>
        )}
      </header>
      {!roster.ok ? (
        <div class="card-body">
          <ErrorBanner error={roster.error} title="The incident roster could not be loaded." />
        </div>
      ) : roster.value.entries.length === 0 ? (
        <EmptyState title="No incident roster yet">The host's owners and facilitators name who is called, in which order, when something goes wrong.</EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table incident-roster" data-testid="incident-roster">
            <caption class="sr-only">Who to call in an incident, first call first</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Order
                </th>
                <th scope="col">Duty</th>
                <th scope="col">Person</th>
                <th scope="col">Backup</th>
                <th scope="col">Phone</th>
              </tr>
            </thead>
            <tbody>
              {rosterInCallOrder(roster.value.entries).map((e) => {
                const tel = telHref(e.phone);
                return (
                  <tr key={`${e.order}-${e.duty}-${e.user_id}`} data-testid="roster-entry">
                    <td class="num roster-order" data-label="Order">
                      {e.order}
                    </td>
                    <td class="roster-duty" data-label="Duty">
                      {dutyLabel(e.duty)}
                    </td>
                    <td data-label="Person">{nameOf(e.user_id)}</td>
                    <td data-label="Backup">{e.backup_user_id ? nameOf(e.backup_user_id) : <span class="muted">—</span>}</td>
                    <td class="nowrap" data-label="Phone">
                      {tel ? <a href={tel}>{e.phone}</a> : <span class="muted">—</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TemplateCard({
  activationId,
  template: t,
  nameOf,
  onApproved,
}: {
  activationId: string;
  template: CrisisTemplate;
  nameOf: NameOf;
  onApproved: (t: CrisisTemplate) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const bodyRef = useRef<HTMLPreElement>(null);
  const badge = templateBadge(t, nameOf);
  const note = revisionNote(t);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(t.body);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard (insecure origin, permission denied): select the text for a manual copy.
      const el = bodyRef.current;
      const sel = window.getSelection();
      if (el && sel) {
        const range = document.createRange();
        range.selectNodeContents(el);
        sel.removeAllRanges();
        sel.addRange(range);
      }
    }
  };

  const approve = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      onApproved(await api.approveCrisisTemplate(activationId, t.id, t.version));
    } catch (e) {
      setRefusal(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const titleId = `ctp-${t.id}`;
  return (
    <li class="crisis-template" data-testid="crisis-template" data-template-id={t.id} data-approved={t.pre_approved ? 'true' : 'false'} aria-labelledby={titleId}>
      <div class="crisis-template-head">
        <h3 id={titleId}>{t.title}</h3>
        <span data-testid="template-badge">
          <Badge tone={badge.tone}>{badge.text}</Badge>
        </span>
      </div>
      <p class="muted small crisis-template-meta">
        <span>
          For: <span class="strong">{t.situation}</span>
        </span>
        <span aria-hidden="true"> · </span>
        <span>Version {t.version}</span>
        <span aria-hidden="true"> · </span>
        <span>Updated {formatDay(t.updated_at)}</span>
      </p>
      {t.channels.length > 0 && (
        <ul class="chip-list" aria-label="Channels" data-testid="template-channels">
          {t.channels.map((c) => (
            <li key={c} class="chip">
              {channelLabel(c)}
            </li>
          ))}
        </ul>
      )}
      {note && <p class="small crisis-template-note">{note}</p>}
      <pre class="crisis-body" ref={bodyRef} data-testid="template-body">
        {t.body}
      </pre>
      <div class="btn-row">
        <button type="button" class="btn btn-small" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy text'}
        </button>
        {!t.pre_approved && (
          <button type="button" class="btn btn-small btn-primary" disabled={busy} onClick={() => void approve()}>
            {busy ? 'Approving…' : `Approve version ${t.version}`}
          </button>
        )}
      </div>
      {refusal && (
        <div class="alert alert-error small" role="alert" data-testid="approve-refusal">
          {refusal}
        </div>
      )}
    </li>
  );
}
