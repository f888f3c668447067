// Calendar subscriptions: secret iCalendar URLs that calendar apps poll. A new feed's URL is
// shown once (the server keeps only a digest); a leaked one is revoked here.

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { sortFeeds, webcalUrl } from '../calendar.ts';
import { ApiError } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import { canCreateOrgFeed } from '../permissions.ts';
import type { CalendarFeed, CreatedFeed, User } from '../types.ts';
import { Badge, ErrorBanner, useAsync } from './ui.tsx';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function FeedsPanel({ user }: { user: User }) {
  const [data, setData] = useAsync((signal) => api.listFeeds(signal), []);
  const [created, setCreated] = useState<CreatedFeed | null>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const [teamName, setTeamName] = useState(`${user.org_name} team`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const mayOrg = canCreateOrgFeed(user);

  const feeds = data.state === 'ok' ? data.data.feeds : [];
  const setFeeds = (next: CalendarFeed[]) => setData({ feeds: next });

  const create = async (kind: 'user' | 'org') => {
    setBusy(true);
    setError(null);
    setCopied(null);
    try {
      const r = await api.createFeed(kind, kind === 'org' ? teamName.trim() : undefined);
      setCreated(r);
      setFeeds([r.feed, ...feeds.filter((f) => f.id !== r.feed.id)]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (f: CalendarFeed) => {
    if (!window.confirm(`Revoke “${feedName(f)}”? Calendar apps subscribed to it stop receiving updates.`)) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.revokeFeed(f.id);
      setFeeds(feeds.map((x) => (x.id === f.id ? r.feed : x)));
      if (created?.feed.id === f.id) setCreated(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="feeds-title" data-testid="feeds-panel">
      <header class="card-header">
        <h2 id="feeds-title">Calendar subscriptions</h2>
      </header>
      <div class="card-body">
        <p class="muted feeds-intro">
          A subscription is a private link that Google Calendar, Outlook or Apple Calendar follows: it shows the launches, milestones and posts of
          every activation you take part in (a team subscription: your organisation’s posts only) and updates itself.
        </p>

        {created && (
          <div class="feed-secret" role="status" data-testid="feed-created">
            <p class="strong">Your new subscription link — copy it now, it is shown only once.</p>
            <div class="copy-row">
              <label class="sr-only" for="feed-url">
                Subscription URL
              </label>
              <input id="feed-url" class="mono" readOnly value={created.url} onFocus={(e) => (e.target as HTMLInputElement).select()} data-testid="feed-url" />
              <button
                type="button"
                class="btn btn-primary"
                onClick={async () => {
                  const ok = await copyText(created.url);
                  if (!ok) (document.getElementById('feed-url') as HTMLInputElement | null)?.select();
                  setCopied(ok ? 'yes' : 'no');
                }}
              >
                Copy
              </button>
              <a class="btn" href={created.webcal_url || webcalUrl(created.url)} data-testid="feed-webcal">
                Open in calendar app
              </a>
            </div>
            <p class="small" aria-live="polite">
              {copied === 'yes' && 'Copied to the clipboard.'}
              {copied === 'no' && 'Copying is blocked here: the link is selected, press Ctrl+C (⌘C).'}
            </p>
            <p class="small warning-text">
              ⚠ Anyone who has this link sees these calendars without logging in. Do not share it; if it leaks, revoke it below and create a new one.
            </p>
            <button type="button" class="btn btn-small" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        )}

        {error !== null && <ErrorBanner error={error} title={error instanceof ApiError && error.status === 404 ? 'Calendar subscriptions are not available on this server.' : 'That did not work.'} />}

        <div class="feed-actions">
          <button type="button" class="btn" disabled={busy} onClick={() => create('user')}>
            Create personal subscription
          </button>
          {mayOrg && (
            <div class="team-feed">
              <label class="sr-only" for="team-feed-name">
                Team subscription name
              </label>
              <input id="team-feed-name" value={teamName} onInput={(e) => setTeamName((e.target as HTMLInputElement).value)} maxLength={100} />
              <button type="button" class="btn" disabled={busy || !teamName.trim()} onClick={() => create('org')}>
                Create team subscription
              </button>
            </div>
          )}
        </div>

        {data.state === 'loading' && <p class="muted">Loading subscriptions…</p>}
        {data.state === 'error' && (
          <ErrorBanner
            error={data.error}
            title={data.error instanceof ApiError && data.error.status === 404 ? 'Calendar subscriptions are not available on this server yet.' : 'Subscriptions could not be loaded.'}
          />
        )}
        {data.state === 'ok' && feeds.length === 0 && <p class="muted">You have no subscriptions yet.</p>}
        {feeds.length > 0 && (
          <FeedList feeds={sortFeeds(feeds)} showRevoked={showRevoked} onToggle={() => setShowRevoked(!showRevoked)} busy={busy} onRevoke={revoke} />
        )}
      </div>
    </section>
  );
}

function FeedList({
  feeds,
  showRevoked,
  onToggle,
  busy,
  onRevoke,
}: {
  feeds: CalendarFeed[];
  showRevoked: boolean;
  onToggle: () => void;
  busy: boolean;
  onRevoke: (f: CalendarFeed) => void;
}) {
  const revoked = feeds.filter((f) => f.revoked_at).length;
  const shown = showRevoked ? feeds : feeds.filter((f) => !f.revoked_at);
  return (
    <>
      <ul class="feed-list" data-testid="feeds-list" aria-label="Your subscriptions">
        {shown.map((f) => (
          <li key={f.id} class={`feed-item${f.revoked_at ? ' revoked' : ''}`} data-testid="feed-row" data-feed-id={f.id} data-revoked={f.revoked_at ? 'true' : 'false'}>
            <div class="feed-main">
              <div>
                <span class="strong">{feedName(f)}</span> <Badge tone={f.kind === 'org' ? 'accent' : 'neutral'}>{f.kind === 'org' ? 'Team' : 'Personal'}</Badge>{' '}
                {f.revoked_at ? <Badge tone="muted">Revoked {formatDateTime(f.revoked_at)}</Badge> : <Badge tone="success">Active</Badge>}
              </div>
              <div class="muted small">
                Created {formatDateTime(f.created_at)} · {f.last_used_at ? `last used ${formatDateTime(f.last_used_at)}` : 'never used'}
              </div>
            </div>
            {!f.revoked_at && (
              <button type="button" class="btn btn-small btn-ghost btn-danger" disabled={busy} onClick={() => onRevoke(f)} aria-label={`Revoke ${feedName(f)}`}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p class="muted small">No active subscriptions.</p>}
      {revoked > 0 && (
        <button type="button" class="btn btn-link btn-small" onClick={onToggle} aria-expanded={showRevoked}>
          {showRevoked ? 'Hide revoked' : `Show ${revoked} revoked`}
        </button>
      )}
    </>
  );
}

function feedName(f: CalendarFeed): string {
  return f.name || (f.kind === 'org' ? 'Team subscription' : 'Personal subscription');
}
