// A post in a modal dialog: where and when it goes out, its findings in full, what goes out with
// it (content versions, links, disclosure) and where it went live (publications, PostContent.tsx),
// and (for those who may write it) a form to move or change it, or to delete it. Also creates new
// posts. Times are entered in the zone the calendar shows.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { newPostId, postBody, readableMessage, validContentHash } from '../calendar.ts';
import { ApiError } from '../errors.ts';
import { humanize } from '../format.ts';
import { formatDateTimeIn, isoSeconds, parseTimeOfDay, resolveLocal, toLocalInputs } from '../tz.ts';
import type { Finding, Post, PostsResponse, User } from '../types.ts';
import { SEVERITY_LABEL, SeverityIcon } from './CalendarItems.tsx';
import { PostContentSection, PostPublications } from './PostContent.tsx';
import { useNames } from './people.ts';
import { FieldError } from './ui.tsx';

interface Props {
  activationId: string;
  /** The signed-in user, named "(you)" among the people of the post's content and publications. */
  user: User;
  version: number;
  /** The post to show, or a template for a new one (with `isNew`). */
  post: Post;
  isNew: boolean;
  findings: Finding[];
  tz: string;
  zoneLabel: string;
  names: Map<string, string>;
  /** Organisations the user may publish for (one unless editing the brief). */
  partnerChoices: string[];
  markets: string[];
  platforms: string[];
  existingIds: string[];
  canWrite: boolean;
  onSaved: (r: PostsResponse, message: string, undo?: Post) => void;
  onConflict: () => void;
  onClose: () => void;
}

type Field = 'id' | 'partner' | 'platform' | 'market' | 'at' | 'content_hash';
const FIELDS: Field[] = ['id', 'partner', 'platform', 'market', 'at', 'content_hash'];

/** The form field an error path names: "posts[3].at" or "at" → "at". */
function errorField(field: string | null): Field | null {
  if (!field) return null;
  const parts = field.split(/[.[\]/]+/).filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) if ((FIELDS as string[]).includes(parts[i]!)) return parts[i] as Field;
  return null;
}

export function PostDialog(p: Props) {
  const nameOf = useNames(p.isNew ? null : p.activationId, p.user);
  const ref = useRef<HTMLDialogElement>(null);
  const start = toLocalInputs(Date.parse(p.post.at), p.tz);
  const [id, setId] = useState(p.post.id);
  const [idTouched, setIdTouched] = useState(false);
  const [partner, setPartner] = useState(p.post.partner);
  const [platform, setPlatform] = useState(p.post.platform);
  const [market, setMarket] = useState(p.post.market);
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const [hash, setHash] = useState(p.post.content_hash ?? '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  useEffect(() => {
    if (p.isNew && !idTouched) setId(newPostId(p.names.get(partner) ?? partner, platform || 'post', p.existingIds));
  }, [partner, platform]);

  const hms = parseTimeOfDay(time);
  const resolved = hms && /^\d{4}-\d{2}-\d{2}$/.test(date) ? resolveLocal(p.tz, date, hms[0], hms[1], hms[2]) : null;

  const save = async (e: Event) => {
    e.preventDefault();
    const v: Partial<Record<Field, string>> = {};
    if (p.isNew && !/^[^\s/]{1,64}$/.test(id.trim())) v.id = 'Enter an id of 1 to 64 characters without spaces or slashes.';
    else if (p.isNew && p.existingIds.includes(id.trim())) v.id = `There is already a post "${id.trim()}".`;
    if (!platform.trim()) v.platform = 'Enter the platform, such as instagram.';
    if (!market.trim()) v.market = 'Choose the market.';
    if (!resolved) v.at = 'Enter a date and a time (HH:MM).';
    if (!validContentHash(hash.trim())) v.content_hash = 'A content hash is hexadecimal (0-9, a-f), or empty when not known yet.';
    setErrors(v);
    setFormError(null);
    if (Object.keys(v).length) return;
    const next: Post = {
      ...p.post,
      id: p.isNew ? id.trim() : p.post.id,
      partner,
      platform: platform.trim(),
      market: market.trim(),
      at: isoSeconds(resolved!.ms),
      content_hash: hash.trim().toLowerCase() || undefined,
    };
    if (!next.content_hash) delete next.content_hash;
    setBusy(true);
    try {
      const r = await api.putPost(p.activationId, next.id, postBody(next, p.version));
      p.onSaved(r, p.isNew ? `${next.id} was created for ${formatDateTimeIn(resolved!.ms, p.tz)}.` : `${next.id} was saved for ${formatDateTimeIn(resolved!.ms, p.tz)}.`, p.isNew ? undefined : p.post);
    } catch (err) {
      handle(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      const r = await api.deletePost(p.activationId, p.post.id, p.version);
      p.onSaved(r, `${p.post.id} was deleted.`);
    } catch (err) {
      handle(err);
    } finally {
      setBusy(false);
    }
  };

  const handle = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409) return p.onConflict();
    if (err instanceof ApiError && err.status === 422) {
      const f = errorField(err.field);
      if (f) return setErrors({ [f]: err.message });
    }
    setFormError(err instanceof Error ? err.message : String(err));
  };

  const title = p.isNew ? 'New post' : `Post ${p.post.id}`;
  const partnerName = p.names.get(p.post.partner) ?? p.post.partner;

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="post-dialog-title"
      data-testid="post-dialog"
      onClose={p.onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === ref.current) ref.current?.close();
      }}
    >
      <div class="dialog-box">
        <header class="dialog-header">
          <h2 id="post-dialog-title">{title}</h2>
          <button type="button" class="btn btn-icon btn-close" aria-label="Close" onClick={() => ref.current?.close()}>
            ×
          </button>
        </header>
        {!p.isNew && p.post.frozen && (
          <div class="alert alert-error" role="status" data-testid="post-frozen">
            Publishing frozen since {formatDateTimeIn(Date.parse(p.post.frozen.since), p.tz)}: {p.post.frozen.reason}
          </div>
        )}
        {!p.isNew && (
          <div class="post-facts">
            <p>
              <span class="strong">{partnerName}</span> on <span class="strong">{p.post.platform}</span> in{' '}
              <span class="strong">{p.post.market}</span>
            </p>
            <p class="muted">
              {formatDateTimeIn(Date.parse(p.post.at), p.tz)} ({p.zoneLabel})
              {p.tz !== 'UTC' && <> · {formatDateTimeIn(Date.parse(p.post.at), 'UTC')} UTC</>}
            </p>
            {p.post.assets && p.post.assets.length > 0 && (
              <p class="muted small">
                Assets:{' '}
                {p.post.assets.map((a, i) => (
                  <span key={a.ref}>
                    {i > 0 && ', '}
                    <span class="mono">{a.ref}</span> due {formatDateTimeIn(Date.parse(a.due), p.tz)}
                  </span>
                ))}
              </p>
            )}
          </div>
        )}
        {!p.isNew && (
          <section class="post-findings" aria-label="Findings" data-testid="post-findings">
            {p.findings.length === 0 ? (
              <p class="ok-line">
                <span class="sev-icon sev-ok" aria-hidden="true">
                  ✓
                </span>{' '}
                No conflicts found for this post.
              </p>
            ) : (
              <ul class="finding-list">
                {p.findings.map((f, i) => (
                  <li key={i} class={`finding sev-${f.severity}`} data-severity={f.severity}>
                    <SeverityIcon severity={f.severity} />
                    <div>
                      <p>
                        <span class="sr-only">{SEVERITY_LABEL[f.severity]}: </span>
                        <span class="strong">{humanize(f.kind)}.</span> {readableMessage(f.message, p.names, p.tz)}
                      </p>
                      {f.earliest_ok && <p class="muted small">Earliest time that satisfies this rule: {formatDateTimeIn(Date.parse(f.earliest_ok), p.tz)}</p>}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        {!p.isNew && (
          <>
            <PostContentSection activationId={p.activationId} post={p.post} postOrgName={partnerName} canWrite={p.canWrite} tz={p.tz} nameOf={nameOf} />
            <PostPublications activationId={p.activationId} post={p.post} canWrite={p.canWrite} tz={p.tz} zoneLabel={p.zoneLabel} nameOf={nameOf} />
            {p.canWrite && <h3 class="post-section-title">Where and when</h3>}
          </>
        )}
        {p.canWrite ? (
          <form class="post-form" onSubmit={save} noValidate data-testid="post-form">
            {formError && (
              <div class="alert alert-error" role="alert" data-testid="post-form-error">
                {formError}
              </div>
            )}
            <div class="form-grid two">
              {p.isNew && (
                <div class="field" data-field="id">
                  <label class="label" for="pf-id">
                    Post id
                  </label>
                  <input
                    id="pf-id"
                    value={id}
                    onInput={(e) => {
                      setIdTouched(true);
                      setId((e.target as HTMLInputElement).value);
                    }}
                    aria-invalid={errors.id ? 'true' : undefined}
                    spellcheck={false}
                  />
                  <FieldError field="id" message={errors.id} />
                </div>
              )}
              <div class="field" data-field="partner">
                <label class="label" for="pf-partner">
                  Partner
                </label>
                {p.partnerChoices.length > 1 ? (
                  <select id="pf-partner" value={partner} onChange={(e) => setPartner((e.target as HTMLSelectElement).value)}>
                    {p.partnerChoices.map((o) => (
                      <option key={o} value={o}>
                        {p.names.get(o) ?? o}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id="pf-partner" value={p.names.get(partner) ?? partner} readOnly />
                )}
                <FieldError field="partner" message={errors.partner} />
              </div>
              <div class="field" data-field="platform">
                <label class="label" for="pf-platform">
                  Platform
                </label>
                <input
                  id="pf-platform"
                  list="pf-platforms"
                  value={platform}
                  onInput={(e) => setPlatform((e.target as HTMLInputElement).value)}
                  aria-invalid={errors.platform ? 'true' : undefined}
                  autoComplete="off"
                />
                <datalist id="pf-platforms">
                  {p.platforms.map((x) => (
                    <option key={x} value={x} />
                  ))}
                </datalist>
                <FieldError field="platform" message={errors.platform} />
              </div>
              <div class="field" data-field="market">
                <label class="label" for="pf-market">
                  Market
                </label>
                <select id="pf-market" value={market} onChange={(e) => setMarket((e.target as HTMLSelectElement).value)} aria-invalid={errors.market ? 'true' : undefined}>
                  {!market && <option value="">Choose…</option>}
                  {[...new Set([...p.markets, ...(market ? [market] : [])])].map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
                <FieldError field="market" message={errors.market} />
              </div>
              <div class="field" data-field="at">
                <label class="label" for="pf-date">
                  Date
                </label>
                <input id="pf-date" type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} aria-invalid={errors.at ? 'true' : undefined} aria-describedby="pf-zone" />
                <FieldError field="at" message={errors.at} />
              </div>
              <div class="field">
                <label class="label" for="pf-time">
                  Time
                </label>
                <input id="pf-time" type="time" value={time.slice(0, 5)} onInput={(e) => setTime((e.target as HTMLInputElement).value)} aria-invalid={errors.at ? 'true' : undefined} aria-describedby="pf-zone" />
              </div>
              <p class="hint small span-all" id="pf-zone">
                In {p.zoneLabel}
                {resolved && resolved.resolution === 'gap' && ` — the clocks skip this time; it will go out at ${formatDateTimeIn(resolved.ms, p.tz)}`}
                {resolved && resolved.resolution === 'overlap' && ' — this time happens twice; the first is used'}
                {resolved && p.tz !== 'UTC' && <> · {formatDateTimeIn(resolved.ms, 'UTC')} UTC</>}
              </p>
              <div class="field span-all" data-field="content_hash">
                <label class="label" for="pf-hash">
                  Content hash <span class="muted">(optional)</span>
                </label>
                <input
                  id="pf-hash"
                  class="mono"
                  value={hash}
                  onInput={(e) => setHash((e.target as HTMLInputElement).value)}
                  aria-invalid={errors.content_hash ? 'true' : undefined}
                  placeholder="e.g. 9f86d081"
                  spellcheck={false}
                  autoComplete="off"
                />
                <FieldError field="content_hash" message={errors.content_hash} />
              </div>
            </div>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? 'Saving…' : p.isNew ? 'Create post' : 'Save post'}
              </button>
              <button type="button" class="btn" onClick={() => ref.current?.close()}>
                Cancel
              </button>
              <span class="grow" />
              {!p.isNew &&
                (confirmDelete ? (
                  <>
                    <button type="button" class="btn btn-danger-solid" disabled={busy} onClick={remove}>
                      Delete {p.post.id}
                    </button>
                    <button type="button" class="btn btn-ghost" onClick={() => setConfirmDelete(false)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" class="btn btn-ghost btn-danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
                    Delete…
                  </button>
                ))}
            </div>
          </form>
        ) : (
          <p class="muted small read-only-note" data-testid="post-read-only">
            Only {partnerName} and the brief’s editors change this post.
          </p>
        )}
      </div>
    </dialog>
  );
}

