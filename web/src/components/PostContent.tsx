// The "Content" and "Publications" parts of the post dialog (docs/publishing.md, "Posts in the
// product"): the content version the caller may read (copy, format, paid/partner badges, the
// disclosure check as stored, assets, links with their UTM values or findings, who wrote it and
// when) with a picker of the earlier versions; for the post's writers an editor that saves the
// next version (with a live disclosure hint, publishing.ts) and a "Record publication" form. Who
// may do what is the server's: a refusal is shown where it belongs (403 / 422 by field, 409 stale,
// frozen, not approved). Renders in the browser's event loop only; no shared state.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError, fieldErrorText } from '../errors.ts';
import { humanize } from '../format.ts';
import {
  checkDisclosure,
  contentBody,
  contentErrorTarget,
  disclosureBadge,
  draftFrom,
  emptyDraft,
  isStale,
  liveUrlProblem,
  MEDIA_DISCLOSURES,
  newestFirst,
  POST_FORMATS,
  publicationRefusal,
  publishedAtInstant,
  STALE_MESSAGE,
  utmFields,
  type ContentDraft,
  type LinkDraft,
} from '../publishing.ts';
import { formatDateTimeIn } from '../tz.ts';
import type { Asset, ContentLink, MediaDisclosure, Post, PostContent, PostContentVersions, PostFormat, Publication, UtmTaxonomyResponse } from '../types.ts';
import type { NameOf } from './ApprovalParts.tsx';
import { Badge, FieldError, Loading } from './ui.tsx';

type Load<T> = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ok'; data: T };

interface Props {
  activationId: string;
  post: Post;
  /** The host is the post's organisation when it names none. */
  postOrgName: string;
  /** Whether the user may write the post (permissions.ts canWritePost); the server decides. */
  canWrite: boolean;
  tz: string;
  nameOf: NameOf;
}

export function PostContentSection(p: Props) {
  const [versions, setVersions] = useState<Load<PostContentVersions | null>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const [picked, setPicked] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const nameOf = p.nameOf;

  useEffect(() => {
    const ctl = new AbortController();
    setVersions({ state: 'loading' });
    api.listPostContentVersions(p.activationId, p.post.id, ctl.signal).then(
      (data) => setVersions({ state: 'ok', data }),
      (error: unknown) => {
        if (ctl.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) setVersions({ state: 'ok', data: null });
        else setVersions({ state: 'error', error });
      },
    );
    return () => ctl.abort();
  }, [p.activationId, p.post.id, tick]);

  const reload = () => {
    setVersions({ state: 'loading' });
    setPicked(null);
    setTick((t) => t + 1);
  };

  let body;
  let latest: PostContent | null = null;
  if (versions.state === 'loading') body = <Loading label="Loading the content…" />;
  else if (versions.state === 'error')
    body = (
      <div class="alert alert-error" role="alert" data-testid="content-error">
        The content could not be loaded: {versions.error instanceof Error ? versions.error.message : String(versions.error)}{' '}
        <button type="button" class="btn btn-small" onClick={reload}>
          Try again
        </button>
      </div>
    );
  else if (!versions.data || versions.data.items.length === 0)
    body = (
      <p class="muted" data-testid="content-empty">
        No content yet{p.canWrite ? '.' : ` that you may read: ${p.postOrgName}’s copy and links are shown once approved.`}
      </p>
    );
  else {
    const list = newestFirst(versions.data.items);
    latest = list[0]!;
    const shown = list.find((c) => c.version === picked) ?? latest;
    body = (
      <>
        {list.length > 1 && (
          <div class="field content-version-picker">
            <label class="label" for="pc-version">
              Version
            </label>
            <select id="pc-version" value={String(shown.version)} onChange={(e) => setPicked(Number((e.target as HTMLSelectElement).value))}>
              {list.map((c, i) => (
                <option key={c.version} value={String(c.version)}>
                  Version {c.version}
                  {i === 0 ? ' (latest)' : ''}
                  {c.approved ? ' — approved' : ''} — {nameOf(c.created_by)}, {formatDateTimeIn(Date.parse(c.created_at), p.tz)}
                </option>
              ))}
            </select>
          </div>
        )}
        <ContentView c={shown} activationId={p.activationId} tz={p.tz} nameOf={nameOf} isLatest={shown === latest} />
      </>
    );
  }

  return (
    <section class="post-section" aria-labelledby="post-content-title" data-testid="post-content">
      <header class="post-section-head">
        <h3 id="post-content-title">Content</h3>
        {p.canWrite && versions.state === 'ok' && !editing && (
          <button type="button" class="btn btn-small" onClick={() => setEditing(true)} data-testid="content-edit">
            {latest ? `Write version ${latest.version + 1}` : 'Write the content'}
          </button>
        )}
      </header>
      {saved && (
        <div class="alert alert-success" role="status" data-testid="content-saved">
          {saved}
        </div>
      )}
      {editing && versions.state === 'ok' ? (
        <ContentEditor
          activationId={p.activationId}
          post={p.post}
          latest={latest}
          onCancel={() => setEditing(false)}
          onReload={() => {
            setEditing(false);
            setSaved(null);
            reload();
          }}
          onSaved={(c) => {
            // The saved version is the newest: shown at once, without reading the list again.
            const earlier = versions.data?.items ?? [];
            setVersions({ state: 'ok', data: { items: [...earlier, c], approved_version: versions.data?.approved_version ?? null } });
            setPicked(null);
            setEditing(false);
            setSaved(`Version ${c.version} was saved.`);
          }}
        />
      ) : (
        body
      )}
    </section>
  );
}

function ContentView({ c, activationId, tz, nameOf, isLatest }: { c: PostContent; activationId: string; tz: string; nameOf: (id: string) => string; isLatest: boolean }) {
  const badge = disclosureBadge(c.disclosure);
  return (
    <div class="content-view" data-testid="content-view" data-version={c.version}>
      <p class="muted small" data-testid="content-version">
        Version {c.version}
        {isLatest ? ' (latest)' : ''} by {nameOf(c.created_by)}, {formatDateTimeIn(Date.parse(c.created_at), tz)}
      </p>
      <div class="content-badges">
        <Badge tone="neutral">{humanize(c.format)}</Badge>
        {c.paid && <Badge tone="accent">Paid</Badge>}
        {c.partner && <Badge tone="info">Partner</Badge>}
        {c.platform_flag && <Badge tone="muted">Platform label on</Badge>}
        {c.format !== 'text' && <Badge tone="muted">Media disclosure: {c.media_disclosure}</Badge>}
        {c.approved && <Badge tone="success">Approved</Badge>}
      </div>
      <p class={`disclosure disclosure-${badge.tone}`} data-testid="disclosure" data-ok={String(c.disclosure?.ok ?? '')}>
        <span aria-hidden="true">{badge.tone === 'danger' ? '✕ ' : badge.tone === 'success' ? '✓ ' : ''}</span>
        {badge.text}
      </p>
      <blockquote class="content-copy" data-testid="content-copy">
        {c.copy || <span class="muted">(no copy)</span>}
      </blockquote>
      {c.asset_ids.length > 0 && <AssetNames activationId={activationId} ids={c.asset_ids} />}
      {c.links.length > 0 && (
        <ul class="content-links" aria-label="Links">
          {c.links.map((l, i) => (
            <LinkView key={i} link={l} />
          ))}
        </ul>
      )}
    </div>
  );
}

function AssetNames({ activationId, ids }: { activationId: string; ids: string[] }) {
  const [assets, setAssets] = useState<Map<string, Asset>>(new Map());
  useEffect(() => {
    const ctl = new AbortController();
    Promise.all(ids.map((id) => api.getAsset(activationId, id, ctl.signal).catch(() => null))).then((list) => {
      if (!ctl.signal.aborted) setAssets(new Map(list.filter((a): a is Asset => !!a).map((a) => [a.id, a])));
    });
    return () => ctl.abort();
  }, [activationId, ids.join(',')]);
  return (
    <p class="small content-assets" data-testid="content-assets">
      Assets:{' '}
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <span class="mono">{assets.get(id)?.name_stem ?? id}</span>
        </span>
      ))}{' '}
      · <a href={`#/activations/${encodeURIComponent(activationId)}/assets`}>Asset library</a>
    </p>
  );
}

function LinkView({ link }: { link: ContentLink }) {
  if (link.mode === 'validated') {
    return (
      <li class="content-link" data-testid="content-link" data-mode="validated">
        <p class="link-url mono">{link.url}</p>
        <p class="small">
          Kept as written ·{' '}
          {link.compliant ? (
            <span class="text-success">complies with the UTM taxonomy</span>
          ) : (
            <span class="text-danger">{link.violations.length} finding(s) for the reviewer</span>
          )}
        </p>
        {!link.compliant && (
          <ul class="link-findings small">
            {link.violations.map((v, i) => (
              <li key={i}>{v.message}</li>
            ))}
          </ul>
        )}
      </li>
    );
  }
  return (
    <li class="content-link" data-testid="content-link" data-mode="tagged">
      <p class="link-url mono" data-testid="tagged-url">
        <a href={link.tagged_url} target="_blank" rel="noopener noreferrer">
          {link.tagged_url}
        </a>
      </p>
      <dl class="utm-list small">
        {link.utm.map((u) => (
          <div key={u.parameter} class="utm-row" data-testid="utm" data-parameter={u.parameter} data-derived={String(u.derived)}>
            <dt class="mono">{u.parameter}</dt>
            <dd>
              <span class="mono">{u.value}</span>{' '}
              {u.derived && <span class="badge badge-muted utm-derived">derived</span>}
              {u.typed !== u.value && !u.derived && <span class="muted"> (typed “{u.typed}”)</span>}
            </dd>
          </div>
        ))}
      </dl>
      {link.channel && <p class="muted small">Counts as {link.channel}</p>}
    </li>
  );
}

// ---- the editor ----

type Errors = { form?: string; copy?: string; media_disclosure?: string; asset_ids?: string; links?: string; link: Record<number, { url?: string; utm?: Record<string, string> }> };

function ContentEditor({
  activationId,
  post,
  latest,
  onCancel,
  onReload,
  onSaved,
}: {
  activationId: string;
  post: Post;
  latest: PostContent | null;
  onCancel: () => void;
  onReload: () => void;
  onSaved: (c: PostContent) => void;
}) {
  const [d, setD] = useState<ContentDraft>(() => (latest ? draftFrom(latest) : emptyDraft()));
  const [taxonomy, setTaxonomy] = useState<UtmTaxonomyResponse | null>(null);
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [errors, setErrors] = useState<Errors>({ link: {} });
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    api.getUtmTaxonomy(activationId, ctl.signal).then(setTaxonomy, () => setTaxonomy({ taxonomy: null, version: 0 }));
    api.listAssets(activationId, {}, ctl.signal).then(
      (r) => setAssets((r.items ?? []).filter((a) => a.kind === 'master')),
      () => setAssets([]),
    );
    return () => ctl.abort();
  }, [activationId]);

  const set = (patch: Partial<ContentDraft>) => setD((x) => ({ ...x, ...patch }));
  const setLink = (i: number, patch: Partial<LinkDraft>) => setD((x) => ({ ...x, links: x.links.map((l, k) => (k === i ? { ...l, ...patch } : l)) }));
  const hint = checkDisclosure(d);
  const hintBadge = disclosureBadge(hint);
  const fields = taxonomy?.taxonomy ? utmFields(taxonomy.taxonomy, post.platform, d.paid) : [];

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({ link: {} });
    setStale(false);
    try {
      onSaved(await api.putPostContent(activationId, post.id, contentBody(d, latest?.version ?? 0)));
    } catch (err) {
      if (isStale(err)) setStale(true);
      else if (err instanceof ApiError && (err.status === 422 || err.code === 'no_utm_taxonomy')) {
        const t = contentErrorTarget(err.field);
        const text = fieldErrorText(err.field, err.message);
        const next: Errors = { link: {} };
        if (t?.link !== undefined && err.code !== 'no_utm_taxonomy') {
          next.link[t.link] = t.parameter ? { utm: { [t.parameter]: text } } : { url: text };
        } else if (t && (t.field === 'copy' || t.field === 'media_disclosure' || t.field === 'asset_ids' || t.field === 'links')) {
          next[t.field] = text;
        } else next.form = text;
        setErrors(next);
      } else setErrors({ link: {}, form: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="content-editor" onSubmit={save} noValidate data-testid="content-form">
      {stale && (
        <div class="alert alert-warning" role="alert" data-testid="content-stale">
          {STALE_MESSAGE}{' '}
          <button type="button" class="btn btn-small" onClick={onReload}>
            Reload
          </button>
        </div>
      )}
      {errors.form && (
        <div class="alert alert-error" role="alert" data-testid="content-form-error">
          {errors.form}
        </div>
      )}
      <div class="field" data-field="copy">
        <label class="label" for="pc-copy">
          Copy
        </label>
        <textarea id="pc-copy" rows={4} value={d.copy} onInput={(e) => set({ copy: (e.target as HTMLTextAreaElement).value })} aria-invalid={errors.copy ? 'true' : undefined} aria-describedby="pc-hint" />
        <FieldError field="copy" message={errors.copy} />
        <p id="pc-hint" class={`disclosure disclosure-${hintBadge.tone} small`} data-testid="disclosure-hint" aria-live="polite">
          {hintBadge.text}
          <span class="muted"> (checked again by the server when you save)</span>
        </p>
      </div>
      <div class="form-grid two">
        <div class="field">
          <label class="label" for="pc-format">
            Format
          </label>
          <select id="pc-format" value={d.format} onChange={(e) => set({ format: (e.target as HTMLSelectElement).value as PostFormat })}>
            {POST_FORMATS.map((f) => (
              <option key={f} value={f}>
                {humanize(f)}
              </option>
            ))}
          </select>
        </div>
        <div class="field" data-field="media_disclosure">
          <label class="label" for="pc-media">
            Disclosure in the media
          </label>
          <select id="pc-media" value={d.mediaDisclosure} onChange={(e) => set({ mediaDisclosure: (e.target as HTMLSelectElement).value as MediaDisclosure })} aria-invalid={errors.media_disclosure ? 'true' : undefined}>
            {MEDIA_DISCLOSURES.map((m) => (
              <option key={m} value={m}>
                {m === 'none' ? 'None' : m === 'shown' ? 'Shown or said' : 'Repeated through a live stream'}
              </option>
            ))}
          </select>
          <FieldError field="media_disclosure" message={errors.media_disclosure} />
        </div>
      </div>
      <fieldset class="checks">
        <legend class="sr-only">Connection</legend>
        <label class="check">
          <input type="checkbox" checked={d.paid} onChange={(e) => set({ paid: (e.target as HTMLInputElement).checked })} /> Paid
        </label>
        <label class="check">
          <input type="checkbox" checked={d.partner} onChange={(e) => set({ partner: (e.target as HTMLInputElement).checked })} /> Partner (material connection)
        </label>
        <label class="check">
          <input type="checkbox" checked={d.platformFlag} onChange={(e) => set({ platformFlag: (e.target as HTMLInputElement).checked })} /> Platform’s paid-partnership label on
        </label>
      </fieldset>
      {assets && assets.length > 0 && (
        <fieldset class="checks asset-checks" data-field="asset_ids">
          <legend class="label">Assets</legend>
          {assets.map((a) => (
            <label key={a.id} class="check">
              <input
                type="checkbox"
                checked={d.assetIds.includes(a.id)}
                onChange={(e) => set({ assetIds: (e.target as HTMLInputElement).checked ? [...d.assetIds, a.id] : d.assetIds.filter((x) => x !== a.id) })}
              />{' '}
              <span class="mono">{a.name_stem}</span>
            </label>
          ))}
          <FieldError field="asset_ids" message={errors.asset_ids} />
        </fieldset>
      )}
      <fieldset class="link-editors" data-field="links">
        <legend class="label">Links</legend>
        {taxonomy && !taxonomy.taxonomy && d.links.length > 0 && <p class="hint small">This activation has no UTM taxonomy yet: links cannot be tagged or checked until the brief’s editors add one.</p>}
        {d.links.map((l, i) => (
          <div key={i} class="link-editor" data-testid="link-editor">
            <div class="field" data-field={`links[${i}].url`}>
              <label class="label" for={`pc-url-${i}`}>
                Link {i + 1} URL
              </label>
              <input id={`pc-url-${i}`} type="url" value={l.url} onInput={(e) => setLink(i, { url: (e.target as HTMLInputElement).value })} spellcheck={false} aria-invalid={errors.link[i]?.url ? 'true' : undefined} />
              <FieldError field={`links-${i}-url`} message={errors.link[i]?.url} />
            </div>
            <label class="check">
              <input type="checkbox" checked={l.keepAsWritten} onChange={(e) => setLink(i, { keepAsWritten: (e.target as HTMLInputElement).checked })} /> Keep as written (check it, do not tag it)
            </label>
            {!l.keepAsWritten && (
              <div class="form-grid two utm-fields">
                {fields.map((f) => {
                  const id = `pc-${i}-${f.parameter}`;
                  const err = errors.link[i]?.utm?.[f.parameter];
                  const value = l.utm[f.parameter] ?? '';
                  const change = (v: string) => setLink(i, { utm: { ...l.utm, [f.parameter]: v } });
                  return (
                    <div key={f.parameter} class="field" data-field={`links[${i}].utm.${f.parameter}`}>
                      <label class="label mono" for={id}>
                        {f.parameter}
                        {f.required && !f.derived && <span class="muted"> (required)</span>}
                      </label>
                      {f.options.length > 0 ? (
                        <select id={id} value={value} onChange={(e) => change((e.target as HTMLSelectElement).value)} aria-invalid={err ? 'true' : undefined}>
                          <option value="">{f.derived ? `Derived: ${f.derived}` : 'Choose…'}</option>
                          {f.options.map((o) => (
                            <option key={o} value={o}>
                              {o}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input id={id} value={value} onInput={(e) => change((e.target as HTMLInputElement).value)} placeholder={f.derived ? `Derived: ${f.derived}` : ''} spellcheck={false} aria-invalid={err ? 'true' : undefined} />
                      )}
                      <FieldError field={`links-${i}-${f.parameter}`} message={err} />
                    </div>
                  );
                })}
              </div>
            )}
            <button type="button" class="btn btn-ghost btn-small" onClick={() => set({ links: d.links.filter((_, k) => k !== i) })}>
              Remove link {i + 1}
            </button>
          </div>
        ))}
        <FieldError field="links" message={errors.links} />
        <button type="button" class="btn btn-small" onClick={() => set({ links: [...d.links, { url: '', keepAsWritten: false, utm: {} }] })} data-testid="add-link">
          Add a link
        </button>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : `Save version ${(latest?.version ?? 0) + 1}`}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// ---- publications ----

export function PostPublications({
  activationId,
  post,
  canWrite,
  tz,
  zoneLabel,
  nameOf,
}: {
  activationId: string;
  post: Post;
  canWrite: boolean;
  /** The calendar's zone: published-at is entered and shown in it. */
  tz: string;
  zoneLabel: string;
  nameOf: NameOf;
}) {
  const [list, setList] = useState<Load<Publication[]>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const [url, setUrl] = useState('');
  const [at, setAt] = useState('');
  const [errors, setErrors] = useState<{ live_url?: string; published_at?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setList({ state: 'loading' });
    api.listPublications(activationId, post.id, ctl.signal).then(
      (r) => setList({ state: 'ok', data: r.items ?? [] }),
      (error: unknown) => {
        if (!ctl.signal.aborted) setList({ state: 'error', error });
      },
    );
    return () => ctl.abort();
  }, [activationId, post.id, tick]);

  const record = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const urlProblem = liveUrlProblem(url);
    const when = publishedAtInstant(at, Date.now(), tz);
    const v: typeof errors = {};
    if (urlProblem) v.live_url = urlProblem;
    if (when === null) v.published_at = `Enter a date and time in ${zoneLabel} that has passed, or leave it empty for now.`;
    setErrors(v);
    if (Object.keys(v).length) return;
    setBusy(true);
    try {
      const r = await api.recordPublication(activationId, post.id, { live_url: url.trim(), ...(when ? { published_at: when } : {}) });
      setUrl('');
      setAt('');
      setDone(`Publication recorded: version ${r.content_version} live at ${r.live_url}.`);
      setTick((t) => t + 1);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && (err.field === 'live_url' || err.field === 'published_at')) {
        setErrors({ [err.field]: fieldErrorText(err.field, err.message) });
      } else setErrors({ form: publicationRefusal(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="post-section" aria-labelledby="post-publications-title" data-testid="post-publications">
      <header class="post-section-head">
        <h3 id="post-publications-title">Publications</h3>
      </header>
      {list.state === 'loading' && <Loading label="Loading publications…" />}
      {list.state === 'error' && (
        <div class="alert alert-error" role="alert">
          Publications could not be loaded: {list.error instanceof Error ? list.error.message : String(list.error)}
        </div>
      )}
      {list.state === 'ok' &&
        (list.data.length === 0 ? (
          <p class="muted small" data-testid="publications-empty">
            Not published yet.
          </p>
        ) : (
          <ul class="publication-list" data-testid="publication-list">
            {[...list.data].reverse().map((x) => (
              <li key={x.id} data-testid="publication">
                <a class="mono link-url" href={x.live_url} target="_blank" rel="noopener noreferrer">
                  {x.live_url}
                </a>
                <span class="muted small">
                  {' '}
                  on {x.platform}, {formatDateTimeIn(Date.parse(x.published_at), tz)} · version {x.content_version} · recorded by {nameOf(x.recorded_by)}
                </span>
              </li>
            ))}
          </ul>
        ))}
      {canWrite && (
        <form class="publication-form" onSubmit={record} noValidate data-testid="publication-form">
          {errors.form && (
            <div class="alert alert-error" role="alert" data-testid="publication-error">
              {errors.form}
            </div>
          )}
          {done && (
            <div class="alert alert-success" role="status">
              {done}
            </div>
          )}
          <div class="form-grid two">
            <div class="field" data-field="live_url">
              <label class="label" for="pub-url">
                Live URL
              </label>
              <input id="pub-url" type="url" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} placeholder="https://" spellcheck={false} aria-invalid={errors.live_url ? 'true' : undefined} />
              <FieldError field="live_url" message={errors.live_url} />
            </div>
            <div class="field" data-field="published_at">
              <label class="label" for="pub-at">
                Published at ({zoneLabel}) <span class="muted">(empty: now)</span>
              </label>
              <input id="pub-at" type="datetime-local" value={at} onInput={(e) => setAt((e.target as HTMLInputElement).value)} aria-invalid={errors.published_at ? 'true' : undefined} />
              <FieldError field="published_at" message={errors.published_at} />
            </div>
          </div>
          <div class="form-actions">
            <button type="submit" class="btn" disabled={busy}>
              {busy ? 'Recording…' : 'Record publication'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
