// The data feeds of an activation: one row per partner feed with its contract version, cadence,
// last delivery, due time and a delivery-status badge; a feed opens to its contract's fields.
// Also the late-feed banner and the help on how partners send data (the empty state).

import { useState } from 'preact/hooks';
import { formatDateTime } from '../format.ts';
import { deliveryInfo, describeCadence, describeRole, describeType, lateFeedText, lateFeeds, privacyInfo, PRIVACY_INFO } from '../measurement.ts';
import type { FeedContract } from '../types.ts';
import { Badge, Muted } from './ui.tsx';

/** A prominent alert naming every late feed; nothing when all deliver on time. */
export function LateFeedsBanner({ feeds, now }: { feeds: FeedContract[]; now: number }) {
  const late = lateFeeds(feeds);
  if (late.length === 0) return null;
  return (
    <div class="alert alert-error risk-banner" role="alert" data-testid="late-feeds-banner">
      <div class="risk-title">
        <span class="risk-icon" aria-hidden="true">
          !
        </span>
        <strong>{late.length === 1 ? 'A data feed is late.' : `${late.length} data feeds are late.`}</strong>
      </div>
      <ul class="late-list">
        {late.map((f) => (
          <li key={f.id} data-testid="late-feed">
            {lateFeedText(f, now)}
          </li>
        ))}
      </ul>
      <p class="risk-detail">Attribution only counts the events that have arrived: ask the partner to send the missing delivery.</p>
    </div>
  );
}

export function DataFeedsCard({ activationId, feeds, error }: { activationId: string; feeds: FeedContract[] | null; error: unknown }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  return (
    <section class="card" aria-labelledby="feeds-title" data-testid="data-feeds">
      <header class="card-header">
        <h2 id="feeds-title">
          Data feeds {feeds && feeds.length > 0 && <span class="muted count">{feeds.length}</span>}
        </h2>
      </header>
      {error !== null && error !== undefined ? (
        <div class="card-body">
          <p class="muted" role="alert">
            The data feeds could not be loaded. {error instanceof Error ? error.message : ''}
          </p>
        </div>
      ) : !feeds || feeds.length === 0 ? (
        <div class="card-body" data-testid="feeds-empty">
          <p class="strong feeds-empty-title">No data feeds yet</p>
          <p class="muted measure-intro">
            A <strong>data contract</strong> says what a partner’s feed sends: its fields and their types, which field is the event id,
            the user, the time, the event type, the channel and the revenue, the privacy class of each field, and how often deliveries
            are due. Every event is checked against it on arrival; raw identifiers such as e-mail addresses are hashed before anything
            is stored, and free text is dropped.
          </p>
          <FeedHelp activationId={activationId} />
        </div>
      ) : (
        <>
          <ul class="feed-rows">
            {feeds.map((f) => {
              const d = deliveryInfo(f.delivery?.state);
              const isOpen = open.has(f.id);
              const panel = `contract-${f.id}`;
              return (
                <li key={f.id} class="feed-row" data-testid="feed-row" data-feed={f.feed} data-org={f.org_name} data-state={f.delivery?.state ?? ''}>
                  <div class="feed-row-main">
                    <div class="feed-title">
                      <span class="strong">{f.org_name}</span>
                      <span class="mono feed-name">{f.feed}</span>
                      <span class="muted small" title={`Contract version ${f.version}, updated ${formatDateTime(f.updated_at)}`}>
                        contract v{f.version}
                      </span>
                    </div>
                    <dl class="feed-facts">
                      <div>
                        <dt>Cadence</dt>
                        <dd>{describeCadence(f.contract)}</dd>
                      </div>
                      <div>
                        <dt>Last delivery</dt>
                        <dd data-testid="last-delivery">{f.last_delivery_at ? formatDateTime(f.last_delivery_at) : <Muted>None yet</Muted>}</dd>
                      </div>
                      <div>
                        <dt>Due by</dt>
                        <dd data-testid="due-by" title={f.delivery?.due_by ?? ''}>
                          {f.delivery?.due_by ? formatDateTime(f.delivery.due_by) : '—'}
                        </dd>
                      </div>
                    </dl>
                  </div>
                  <div class="feed-side">
                    <Badge tone={d.tone} title={d.help}>
                      <span data-testid="feed-status">{d.label}</span>
                    </Badge>
                    <button type="button" class="btn btn-small" aria-expanded={isOpen} aria-controls={panel} onClick={() => toggle(f.id)}>
                      {isOpen ? 'Hide contract' : `Contract · ${f.contract.fields?.length ?? 0} fields`}
                    </button>
                  </div>
                  {isOpen && <ContractFields id={panel} feed={f} />}
                </li>
              );
            })}
          </ul>
          <details class="feed-help-details">
            <summary>How partners send data</summary>
            <FeedHelp activationId={activationId} />
          </details>
        </>
      )}
    </section>
  );
}

function ContractFields({ id, feed }: { id: string; feed: FeedContract }) {
  const fields = feed.contract.fields ?? [];
  return (
    <div class="contract-panel" id={id}>
      <div class="table-wrap">
        <table class="table compact" data-testid="contract-fields">
          <caption class="sr-only">
            Fields of {feed.org_name}’s {feed.feed} contract, version {feed.version}
          </caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Privacy</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => {
              const p = privacyInfo(f.privacy);
              return (
                <tr key={f.name} data-testid="contract-field" data-field={f.name}>
                  <th scope="row" class="mono field-name">
                    {f.name}
                  </th>
                  <td class="field-type">{describeType(f)}</td>
                  <td>{f.required ? 'Yes' : <Muted>No</Muted>}</td>
                  <td>
                    <span class="privacy" tabIndex={0} aria-describedby={`${id}-${f.name}-privacy`} data-testid="privacy">
                      <Badge tone={p.tone}>{p.label}</Badge>
                      <span class="tip" role="tooltip" id={`${id}-${f.name}-privacy`}>
                        {p.help}
                      </span>
                    </span>
                  </td>
                  <td class="field-role">{describeRole(f) || <Muted>—</Muted>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="muted small contract-notes">
        {feed.contract.allow_extra_fields ? 'Fields outside the contract are accepted and ignored.' : 'A field outside the contract is refused.'}{' '}
        {PRIVACY_INFO.raw_identifier!.label}s are hashed on arrival and never stored; free text is checked, then dropped.
      </p>
    </div>
  );
}

/** How partners register a contract and send events: the command line and the HTTP API. */
export function FeedHelp({ activationId }: { activationId: string }) {
  return (
    <div class="feed-help" data-testid="feed-help">
      <ol class="steps">
        <li>
          <p>
            <span class="strong">Register the feed’s contract</span> — the partner’s owners or admins, or the brief’s editors. Each change is a
            new version; uploads are checked against the latest.
          </p>
          <pre class="code">
            {`tutti contract put --activation ${activationId} --org "<partner>" contract.json

PUT /api/v1/activations/${activationId}/contracts/<feed>
{"contract": {"cadence": "24h", "max_delay": "6h", "fields": [...]}}`}
          </pre>
        </li>
        <li>
          <p>
            <span class="strong">Send events</span> as CSV or NDJSON, plain or gzip, with an API key of the partner’s organisation
            (scope <code>events:write</code>). Good records are stored, bad ones are reported with their line and field; sending an event
            again stores nothing twice.
          </p>
          <pre class="code">
            {`tutti ingest --feed <feed> events.csv

POST /api/v1/feeds/<feed>/events
Authorization: Bearer <API key>
Content-Type: text/csv`}
          </pre>
        </li>
      </ol>
      <p class="muted small">
        A feed is due one cadence after its last delivery and is shown late once the tolerated delay has passed too. Details:{' '}
        <code>docs/ingest.md</code>.
      </p>
    </div>
  );
}
