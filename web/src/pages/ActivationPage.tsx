import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { EditBriefForm } from '../components/EditBriefForm.tsx';
import { FreezePanel } from '../components/FreezePanel.tsx';
import { ACTIVATION_TAB_LABELS, ActivationTabs, Breadcrumbs, type ActivationTab } from '../components/Layout.tsx';
import {
  Badge,
  EmptyState,
  ErrorBanner,
  Loading,
  Muted,
  Notice,
  Section,
  StatusBadge,
  useAsync,
  useDocumentTitle,
  useNow,
} from '../components/ui.tsx';
import { ApiError } from '../errors.ts';
import { formatDateTime, formatMetricValue, formatMoneyValue, groupRaci, humanize, localTimeIn } from '../format.ts';
import { canEditBrief } from '../permissions.ts';
import type { Activation, ItemList, Metric, Partner, User, Workstream } from '../types.ts';

type Part<T> = { ok: true; data: T } | { ok: false; error: unknown };

interface Loaded {
  activation: Activation;
  partners: Part<Partner[]>;
  workstreams: Part<Workstream[]>;
}

async function part<T>(p: Promise<ItemList<T>>): Promise<Part<T[]>> {
  try {
    return { ok: true, data: (await p).items ?? [] };
  } catch (error) {
    return { ok: false, error };
  }
}

export function ActivationPage({ user, id }: { user: User; id: string }) {
  const [data, setData] = useAsync<Loaded>(
    async (signal) => {
      // The activation first: if it is not visible, nothing else is requested or shown.
      const activation = await api.getActivation(id, signal);
      const [partners, workstreams] = await Promise.all([
        part(api.listPartners(id, signal)),
        part(api.listWorkstreams(id, signal)),
      ]);
      return { activation, partners, workstreams };
    },
    [id],
  );
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  useDocumentTitle(data.state === 'ok' ? data.data.activation.name : 'Activation');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;

  const { activation: a, partners, workstreams } = data.data;
  const mayEdit = canEditBrief(user, a);

  return (
    <div class="page">
      <Breadcrumbs items={[{ label: 'Activations', href: '#/activations' }, { label: a.name }]} />
      <ActivationHeader a={a} />
      <ActivationTabs id={a.id} current="brief" />
      <FreezePanel activation={a} user={user} />

      {saved && !editing && <Notice kind="success">The brief was saved.</Notice>}

      {mayEdit && !editing && (
        <div class="toolbar">
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            Edit brief
          </button>
        </div>
      )}

      {editing && (
        <EditBriefForm
          activation={a}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setData({ ...data.data, activation: next });
            setEditing(false);
            setSaved(true);
          }}
        />
      )}

      <div class="brief-grid">
        <Section title="Overview" id="overview">
          <dl class="facts">
            <div>
              <dt>Objective</dt>
              <dd data-testid="objective">{humanize(a.objective)}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={a.status} />
              </dd>
            </div>
            <div>
              <dt>Host organisation</dt>
              <dd>{a.host_org_name}</dd>
            </div>
            <div>
              <dt>Budget</dt>
              <dd data-testid="budget" class="strong">
                {a.budget ? formatMoneyValue(a.budget) : <Muted>Not set</Muted>}
              </dd>
            </div>
          </dl>
          <h3 class="subhead">Description</h3>
          {a.description ? (
            <p class="prose" data-testid="description">
              {a.description}
            </p>
          ) : (
            <p class="muted" data-testid="description">
              No description yet.
            </p>
          )}
          <h3 class="subhead">Audiences</h3>
          {a.audiences?.length ? (
            <ul class="audiences" data-testid="audiences">
              {a.audiences.map((x, i) => (
                <li key={i}>
                  <span class="strong">{x.name}</span>
                  {x.description && <span class="muted"> — {x.description}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">No audiences defined.</p>
          )}
        </Section>

        <Section title="Markets" id="markets">
          <MarketsTable a={a} />
        </Section>
      </div>

      <Section title="Metrics" id="metrics">
        <MetricsTable primary={a.primary_metric} supporting={a.supporting_metrics ?? []} />
      </Section>

      <Section title="Partners" id="partners">
        {partners.ok ? <PartnersTable items={partners.data} /> : <ErrorBanner error={partners.error} title="Partners could not be loaded." />}
      </Section>

      <Section title="Workstreams" id="workstreams">
        {workstreams.ok ? (
          <WorkstreamsTable items={workstreams.data} />
        ) : (
          <ErrorBanner error={workstreams.error} title="Workstreams could not be loaded." />
        )}
      </Section>
    </div>
  );
}

/** The top of an activation's sub-page: breadcrumbs down to the tab, the header and the tabs. */
export function ActivationSubpageHead({ a, current }: { a: Activation; current: Exclude<ActivationTab, 'brief'> }) {
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Activations', href: '#/activations' },
          { label: a.name, href: `#/activations/${encodeURIComponent(a.id)}` },
          { label: ACTIVATION_TAB_LABELS[current] },
        ]}
      />
      <ActivationHeader a={a} />
      <ActivationTabs id={a.id} current={current} />
    </>
  );
}

export function ActivationHeader({ a }: { a: Activation }) {
  return (
    <div class="page-header">
      <div>
        <h1 data-testid="activation-name">{a.name}</h1>
        <p class="muted meta-line">
          <StatusBadge status={a.status} />
          <span>{humanize(a.objective)}</span>
          <span aria-hidden="true">·</span>
          <span>Hosted by {a.host_org_name}</span>
          <span aria-hidden="true">·</span>
          <span>
            {a.partner_count} partner{a.partner_count === 1 ? '' : 's'}
          </span>
          <span aria-hidden="true">·</span>
          <span>Updated {formatDateTime(a.updated_at)}</span>
        </p>
      </div>
    </div>
  );
}

/** Shown instead of any activation data when the activation is missing or not visible. */
export function ActivationUnavailable({ error }: { error: unknown }) {
  const denied = error instanceof ApiError && error.isNotFoundOrForbidden;
  return (
    <div class="page narrow">
      <Breadcrumbs items={[{ label: 'Activations', href: '#/activations' }, { label: 'Unavailable' }]} />
      {denied ? (
        <div class="unavailable" data-testid="activation-unavailable" role="alert">
          <h1>Activation not found</h1>
          <p>This activation does not exist, or your organisation does not take part in it.</p>
          <p>
            <a href="#/activations">Back to your activations</a>
          </p>
        </div>
      ) : (
        <ErrorBanner error={error} title="The activation could not be loaded." />
      )}
    </div>
  );
}

function MarketsTable({ a }: { a: Activation }) {
  const now = useNow(30_000);
  if (!a.markets?.length) return <p class="muted">No markets yet.</p>;
  return (
    <table class="table compact" data-testid="markets-table">
      <thead>
        <tr>
          <th scope="col">Market</th>
          <th scope="col">Time zone</th>
          <th scope="col">Local time now</th>
        </tr>
      </thead>
      <tbody>
        {a.markets.map((m, i) => {
          const t = localTimeIn(m.tz, now);
          return (
            <tr key={i}>
              <td class="strong">{m.name}</td>
              <td>
                <code>{m.tz}</code>
              </td>
              <td class="nowrap">
                {t ? (
                  <>
                    {t.weekday} {t.time} <Muted>{t.offset}</Muted>
                  </>
                ) : (
                  <Muted>Unknown zone</Muted>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function pacing(m: Metric): string | null {
  if (m.target == null || m.forecast == null || m.target === 0) return null;
  return `${Math.round((m.forecast / m.target) * 100)}%`;
}

function MetricsTable({ primary, supporting }: { primary: Metric | null; supporting: Metric[] }) {
  const rows: { m: Metric; primary: boolean }[] = [
    ...(primary ? [{ m: primary, primary: true }] : []),
    ...supporting.map((m) => ({ m, primary: false })),
  ];
  if (rows.length === 0) return <p class="muted">No metrics defined yet.</p>;
  return (
    <table class="table" data-testid="metrics-table">
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" class="num">
            Target
          </th>
          <th scope="col" class="num">
            Forecast
          </th>
          <th scope="col" class="num" title="Forecast as a share of the target">
            Forecast / target
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ m, primary: p }, i) => (
          <tr key={i} class={p ? 'row-primary' : ''}>
            <td>
              <span class="strong">{m.name}</span> {p && <Badge tone="accent">Primary</Badge>}
            </td>
            <td class="num">{formatMetricValue(m.target, m.unit)}</td>
            <td class="num">{formatMetricValue(m.forecast, m.unit)}</td>
            <td class="num">{pacing(m) ?? <Muted>—</Muted>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PartnersTable({ items }: { items: Partner[] }) {
  if (items.length === 0) return <EmptyState title="No partners yet" />;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="partners-table">
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            <th scope="col">Role</th>
            <th scope="col">Facilitator</th>
            <th scope="col" class="num">
              Contribution
            </th>
            <th scope="col">Notes</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.org_id} data-testid="partner-row" data-org={p.org_name}>
              <td class="strong">{p.org_name}</td>
              <td>{humanize(p.role)}</td>
              <td>{p.facilitator ? <Badge tone="accent">Facilitator</Badge> : <Muted>—</Muted>}</td>
              <td class="num" data-col="contribution">
                {'contribution' in p ? (
                  p.contribution ? (
                    formatMoneyValue(p.contribution)
                  ) : (
                    <Muted>None</Muted>
                  )
                ) : (
                  <span class="muted restricted" title="Not shared with your organisation">
                    Not shared
                  </span>
                )}
              </td>
              <td data-col="notes" class="notes">
                {'notes' in p ? (
                  p.notes ? (
                    p.notes
                  ) : (
                    <Muted>—</Muted>
                  )
                ) : (
                  <span class="muted restricted" title="Not shared with your organisation">
                    Not shared
                  </span>
                )}
              </td>
              <td class="nowrap">{formatDateTime(p.joined_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WorkstreamsTable({ items }: { items: Workstream[] }) {
  if (items.length === 0) return <EmptyState title="No workstreams yet" />;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="workstreams-table">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Workstream</th>
            <th scope="col">Primary owner</th>
            <th scope="col">
              <abbr title="Responsible, Accountable, Consulted, Informed">RACI</abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.id} data-testid="workstream-row">
              <td>
                <Badge tone="neutral">{humanize(w.kind)}</Badge>
              </td>
              <td class="strong">{w.name}</td>
              <td>{w.primary_owner_name || <Muted>—</Muted>}</td>
              <td>
                <div class="raci-list">
                  {groupRaci(w.raci ?? []).map((r) => (
                    <span class="raci" key={r.userId} title={`${r.name}: ${r.letters.split('').join(', ')}`}>
                      <span class="raci-letters">{r.letters}</span>
                      {r.name}
                    </span>
                  ))}
                  {!w.raci?.length && <Muted>—</Muted>}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
