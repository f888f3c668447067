// The asset library of an activation: search by tag, placement and locale (kept in the URL);
// each asset with its versions side by side (file, size, pixels or duration, spec check, who and
// when, download) and its localisation variants with their translation and review state and a
// "stale" badge once the master moved on; an upload form for a new asset, a new version or a
// variant, which shows the naming template's refusal with the expected name. The list is what
// the API returns to the caller (the host: everything; a partner: its own and the shared ones).

import { useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { filterQuery, formatBytes, formatMedia, specOutcome, uploadQuery, uploadRefusal, variantStateText, type UploadRefusal } from '../assets.ts';
import { useNames } from '../components/people.ts';
import type { NameOf } from '../components/ApprovalParts.tsx';
import { Badge, EmptyState, ErrorBanner, Loading, Notice, useAsync, useDocumentTitle } from '../components/ui.tsx';
import { formatDateTime } from '../format.ts';
import { navigate, type Route } from '../router.ts';
import type { Activation, Asset, AssetSettings, AssetVersion, User, VariantAction } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

type AssetsRoute = Extract<Route, { name: 'assets' }>;

interface Loaded {
  activation: Activation;
  settings: AssetSettings | null;
  assets: { ok: true; items: Asset[] } | { ok: false; error: unknown };
}

/** What the upload form adds: a new asset, the next version of one, or a variant of a master. */
type UploadTarget = { kind: 'new' } | { kind: 'version'; asset: Asset } | { kind: 'variant'; master: Asset };

export function AssetsPage({ user, route }: { user: User; route: AssetsRoute }) {
  const id = route.id;
  const filter = { tag: route.tag, platform: route.platform, locale: route.locale };
  const [data, , reload] = useAsync<Loaded>(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const [settings, assets] = await Promise.all([
        api.getAssetSettings(id, signal).catch((e: unknown) => {
          if (e instanceof DOMException && e.name === 'AbortError') throw e;
          return null;
        }),
        api.listAssets(id, filterQuery(filter), signal).then(
          (r) => ({ ok: true as const, items: r.items ?? [] }),
          (error: unknown) => {
            if (error instanceof DOMException && error.name === 'AbortError') throw error;
            return { ok: false as const, error };
          },
        ),
      ]);
      return { activation, settings, assets };
    },
    [id, route.tag, route.platform, route.locale],
  );
  const [target, setTarget] = useState<UploadTarget | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const nameOf = useNames(id, user);
  const uploadRef = useRef<HTMLDivElement>(null);
  useDocumentTitle(data.state === 'ok' ? `Assets · ${data.data.activation.name}` : 'Assets');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;
  const { activation: a, settings, assets } = data.data;
  const filtered = !!(route.tag || route.platform || route.locale);

  const openUpload = (t: UploadTarget) => {
    setTarget(t);
    setNotice(null);
    requestAnimationFrame(() => uploadRef.current?.querySelector<HTMLInputElement>('input[type=file]')?.focus());
  };

  // Variants are listed under their master when the caller sees both; a variant whose master
  // the caller does not see stands on its own.
  const items = assets.ok ? assets.items : [];
  const ids = new Set(items.map((x) => x.id));
  const roots = items.filter((x) => !(x.kind === 'variant' && x.master_asset_id && ids.has(x.master_asset_id)));
  const variantsOf = (m: Asset) => items.filter((x) => x.kind === 'variant' && x.master_asset_id === m.id);

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="assets" />
      {notice && <Notice kind="success">{notice}</Notice>}

      <div class="assets-top">
        <SearchForm route={route} placements={settings?.placements ?? []} />
        <button type="button" class="btn btn-primary" onClick={() => openUpload({ kind: 'new' })}>
          Upload asset
        </button>
      </div>

      <div ref={uploadRef}>
        {target && (
          <UploadForm
            activationId={id}
            target={target}
            settings={settings}
            onCancel={() => setTarget(null)}
            onUploaded={(asset, t) => {
              setTarget(null);
              setNotice(
                t.kind === 'version'
                  ? `Version ${asset.latest_version} of ${asset.name_stem} was uploaded.`
                  : t.kind === 'variant'
                    ? `The ${asset.locale} variant ${asset.name_stem} was uploaded; its translation is pending.`
                    : `${asset.name_stem} was uploaded.`,
              );
              reload();
            }}
          />
        )}
      </div>

      {!assets.ok ? (
        <ErrorBanner error={assets.error} title="The assets could not be loaded." />
      ) : roots.length === 0 ? (
        <section class="card">
          {filtered ? (
            <EmptyState title="No asset matches this search">
              <a href={`#/activations/${encodeURIComponent(id)}/assets`}>Show every asset</a>
            </EmptyState>
          ) : (
            <EmptyState title="No assets yet">
              Upload images and videos for this activation: each upload is checked against the naming template{settings?.naming_template ? <> <code>{settings.naming_template}</code></> : null} and, when you name a placement, its
              platform spec.
            </EmptyState>
          )}
        </section>
      ) : (
        <ul class="asset-list" data-testid="asset-list">
          {roots.map((x) => (
            <AssetCard
              key={x.id}
              asset={x}
              variants={variantsOf(x)}
              user={user}
              nameOf={nameOf}
              onNewVersion={() => openUpload({ kind: 'version', asset: x })}
              onNewVariant={() => openUpload({ kind: 'variant', master: x })}
              onChanged={reload}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function SearchForm({ route, placements }: { route: AssetsRoute; placements: string[] }) {
  const [tag, setTag] = useState(route.tag);
  const [platform, setPlatform] = useState(route.platform);
  const [locale, setLocale] = useState(route.locale);
  const submit = (e: Event) => {
    e.preventDefault();
    navigate({ ...route, tag: tag.trim(), platform, locale: locale.trim() }, true);
  };
  return (
    <form class="asset-search" role="search" aria-label="Search assets" onSubmit={submit}>
      <div class="field">
        <label class="label" for="asset-tag">
          Tag
        </label>
        <input id="asset-tag" name="tag" value={tag} placeholder="hero" onInput={(e) => setTag((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label class="label" for="asset-platform">
          Placement
        </label>
        <select id="asset-platform" name="platform" value={platform} onChange={(e) => setPlatform((e.target as HTMLSelectElement).value)}>
          <option value="">Any</option>
          {placements.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label class="label" for="asset-locale">
          Locale
        </label>
        <input id="asset-locale" name="locale" value={locale} placeholder="en-gb" onInput={(e) => setLocale((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field search-actions">
        <button type="submit" class="btn">
          Search
        </button>
        {(route.tag || route.platform || route.locale) && (
          <button
            type="button"
            class="btn btn-ghost"
            onClick={() => {
              setTag('');
              setPlatform('');
              setLocale('');
              navigate({ ...route, tag: '', platform: '', locale: '' }, true);
            }}
          >
            Clear
          </button>
        )}
      </div>
    </form>
  );
}

function AssetCard({
  asset: x,
  variants,
  user,
  nameOf,
  onNewVersion,
  onNewVariant,
  onChanged,
}: {
  asset: Asset;
  variants: Asset[];
  user: User;
  nameOf: NameOf;
  onNewVersion: () => void;
  onNewVariant: () => void;
  onChanged: () => void;
}) {
  const own = x.org_id === user.org_id;
  return (
    <li class="card asset-card" data-testid="asset" data-asset-id={x.id} data-name={x.name_stem}>
      <header class="card-header asset-head">
        <div class="asset-title">
          <h2 class="mono">{x.name_stem}</h2>
          <div class="meta-line small">
            <Badge tone={x.kind === 'master' ? 'accent' : 'neutral'}>{x.kind === 'master' ? 'Master' : `Variant ${x.locale}`}</Badge>
            {x.shared ? <Badge tone="success">Shared with every partner</Badge> : <Badge tone="warning" title={`Seen by ${x.org_name} and the host until shared`}>Draft of {x.org_name}</Badge>}
            {x.platform && <span>Placement {x.platform}</span>}
            {x.locale && <span>Locale {x.locale}</span>}
            {shownTags(x).length > 0 && (
              <span class="chip-list" aria-label="Tags">
                {shownTags(x).map((t) => (
                  <span key={t} class="chip">
                    {t}
                  </span>
                ))}
              </span>
            )}
          </div>
        </div>
        {own && (
          <div class="card-actions">
            <button type="button" class="btn btn-small" onClick={onNewVersion}>
              New version
            </button>
            {x.kind === 'master' && (
              <button type="button" class="btn btn-small btn-ghost" onClick={onNewVariant}>
                Add localisation
              </button>
            )}
          </div>
        )}
      </header>
      <div class="card-body">
        <div class="versions" data-testid="versions" aria-label={`Versions of ${x.name_stem}`} role="list">
          {[...x.versions].sort((p, q) => q.version - p.version).map((v) => (
            <VersionCard key={v.version} v={v} latest={v.version === x.latest_version} nameOf={nameOf} />
          ))}
        </div>
        {x.variant && <VariantLine activationId={x.activation_id} master={x.master_asset_id ?? ''} variant={x} onChanged={onChanged} />}
        {variants.length > 0 && (
          <div class="variants">
            <h3 class="small-heading">Localisations</h3>
            <ul class="variant-list" data-testid="variants">
              {variants.map((v) => (
                <li key={v.id} data-testid="variant" data-locale={v.locale}>
                  <span class="mono">{v.name_stem}</span> <Badge tone="neutral">{v.locale}</Badge> <span class="muted small">v{v.latest_version} · {v.org_name}</span>
                  <VariantLine activationId={x.activation_id} master={x.id} variant={v} onChanged={onChanged} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </li>
  );
}

/** Tags other than the placement and locale ones the card already shows. */
function shownTags(x: Asset): string[] {
  return x.tags.filter((t) => !t.startsWith('platform:') && !t.startsWith('locale:'));
}

function VersionCard({ v, latest, nameOf }: { v: AssetVersion; latest: boolean; nameOf: NameOf }) {
  const spec = specOutcome(v);
  return (
    <div class={`version ${latest ? 'version-latest' : ''}`} role="listitem" data-testid="version" data-version={v.version}>
      <div class="version-head">
        <span class="strong">v{v.version}</span> {latest && <Badge tone="accent">Latest</Badge>}
      </div>
      <div class="mono small version-file" title={v.file_name}>
        {v.file_name}
      </div>
      <dl class="version-facts small">
        <dt>Size</dt>
        <dd>{formatBytes(v.bytes)}</dd>
        <dt>Media</dt>
        <dd>
          {v.media?.format?.toUpperCase()} · {formatMedia(v.media)}
        </dd>
        <dt>Spec</dt>
        <dd data-testid="spec-check">
          {spec.kind === 'pass' ? (
            <Badge tone="success">Passes {spec.placement}</Badge>
          ) : spec.kind === 'fail' ? (
            <>
              <Badge tone="danger">Fails {spec.placement}</Badge>
              <ul class="violations">
                {spec.violations.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </>
          ) : (
            <span class="muted">No placement named</span>
          )}
        </dd>
        <dt>Uploaded</dt>
        <dd>
          {nameOf(v.created_by)}, {formatDateTime(v.created_at)}
        </dd>
      </dl>
      <a class="btn btn-small btn-ghost" href={v.content_url} download={v.file_name}>
        Download v{v.version}
      </a>
    </div>
  );
}

const NEXT_ACTIONS: { action: VariantAction; label: string; when: (s: NonNullable<Asset['variant']>) => boolean }[] = [
  { action: 'start_translation', label: 'Start translation', when: (s) => s.translation === 'pending' || s.review === 'changes_requested' || s.stale },
  { action: 'submit_translation', label: 'Submit translation', when: (s) => s.translation !== 'done' || s.stale },
  { action: 'approve', label: 'Approve', when: (s) => s.translation === 'done' && s.review === 'pending' && !s.stale },
  { action: 'request_changes', label: 'Request changes', when: (s) => s.translation === 'done' && s.review !== 'changes_requested' && !s.stale },
];

function VariantLine({ activationId, master, variant, onChanged }: { activationId: string; master: string; variant: Asset; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const s = variant.variant;
  if (!s) return null;
  const act = async (action: VariantAction) => {
    setBusy(true);
    setError(null);
    try {
      await api.moveVariant(activationId, master, variant.id, action);
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="variant-state small" data-testid="variant-state">
      <span>{variantStateText(s)}</span> {s.stale && <Badge tone="danger" title="The master has a newer version than the one translated">Stale</Badge>}{' '}
      {s.publishable && <Badge tone="success">Publishable</Badge>}
      <span class="btn-row">
        {NEXT_ACTIONS.filter((n) => n.when(s)).map((n) => (
          <button key={n.action} type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => void act(n.action)}>
            {n.label}
          </button>
        ))}
      </span>
      {error && (
        <div class="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function UploadForm({
  activationId,
  target,
  settings,
  onCancel,
  onUploaded,
}: {
  activationId: string;
  target: UploadTarget;
  settings: AssetSettings | null;
  onCancel: () => void;
  onUploaded: (a: Asset, t: UploadTarget) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState(target.kind === 'version' ? target.asset.platform : '');
  const [locale, setLocale] = useState('');
  const [tags, setTags] = useState(target.kind === 'version' ? target.asset.tags.filter((t) => !t.includes(':')).join(', ') : '');
  const [shared, setShared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<UploadRefusal | null>(null);
  const [missing, setMissing] = useState<string | null>(null);

  const title = target.kind === 'version' ? `New version of ${target.asset.name_stem}` : target.kind === 'variant' ? `Localisation of ${target.master.name_stem}` : 'Upload an asset';

  const submit = async (e: Event) => {
    e.preventDefault();
    setRefusal(null);
    if (!file) return setMissing('Choose a file to upload.');
    if (!name.trim()) return setMissing('Give the file name the naming template asks for.');
    if (target.kind === 'variant' && !locale.trim()) return setMissing('Give the locale of this variant (for example ja-jp).');
    setMissing(null);
    setBusy(true);
    try {
      const q = uploadQuery({
        name,
        platform,
        locale,
        tags,
        shared,
        ...(target.kind === 'version' ? { asset: target.asset.id } : target.kind === 'variant' ? { master: target.master.id } : {}),
      });
      const a = await api.uploadAsset(activationId, q, file);
      onUploaded(a, target);
    } catch (err) {
      setRefusal(uploadRefusal(err));
    } finally {
      setBusy(false);
    }
  };

  const nameError = refusal?.field === 'name' ? refusal : null;
  const fileError = refusal?.field === 'file' ? refusal : null;

  return (
    <section class="card" aria-labelledby="upload-title" data-testid="upload-form">
      <header class="card-header">
        <h2 id="upload-title">{title}</h2>
      </header>
      <form class="card-body" onSubmit={submit} noValidate>
        {settings?.naming_template ? (
          <p class="hint">
            Names follow <code>{settings.naming_template}</code>
            {settings.brand ? (
              <>
                {' '}
                (brand <code>{settings.brand}</code>)
              </>
            ) : null}{' '}
            and end in the file's own extension.
          </p>
        ) : (
          <p class="hint">This activation has no naming template: names only need the file's own extension.</p>
        )}
        <div class="form-grid upload-grid">
          <div class="field span-2">
            <label class="label" for="upload-file">
              File
            </label>
            <input
              id="upload-file"
              type="file"
              name="file"
              accept="image/png,image/jpeg,image/gif,image/webp,video/mp4,video/quicktime"
              aria-invalid={!!fileError}
              aria-describedby={fileError ? 'err-upload-file' : undefined}
              onChange={(e) => {
                const f = (e.target as HTMLInputElement).files?.[0] ?? null;
                setFile(f);
                if (f && !name) setName(f.name);
              }}
            />
            {fileError && (
              <div class="field-error" role="alert" id="err-upload-file" data-field-error="file">
                {fileError.violations.length > 0 ? (
                  <>
                    The file does not meet the spec:
                    <ul class="violations">
                      {fileError.violations.map((m) => (
                        <li key={m}>{m}</li>
                      ))}
                    </ul>
                  </>
                ) : (
                  fileError.message
                )}
              </div>
            )}
          </div>
          <div class="field span-2">
            <label class="label" for="upload-name">
              File name
            </label>
            <input
              id="upload-name"
              name="name"
              class="mono"
              value={name}
              maxLength={200}
              aria-invalid={!!nameError}
              aria-describedby={nameError ? 'err-upload-name' : undefined}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
            {nameError && (
              <div class="field-error" role="alert" id="err-upload-name" data-field-error="name">
                {nameError.message}
                {nameError.expectedName && !nameError.expectedName.includes('{') && (
                  <div class="expected-name">
                    Expected <code data-testid="expected-name">{nameError.expectedName}</code>{' '}
                    <button type="button" class="btn btn-small btn-link" onClick={() => setName(nameError.expectedName!)}>
                      Use this name
                    </button>
                  </div>
                )}
              </div>
            )}
          </div>
          <div class="field">
            <label class="label" for="upload-platform">
              Placement
            </label>
            <select id="upload-platform" value={platform} onChange={(e) => setPlatform((e.target as HTMLSelectElement).value)}>
              <option value="">None (no spec check)</option>
              {(settings?.placements ?? []).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="label" for="upload-locale">
              Locale {target.kind === 'variant' ? <span class="required">(required)</span> : <span class="muted">(else from the name)</span>}
            </label>
            <input id="upload-locale" value={locale} placeholder="en-gb" onInput={(e) => setLocale((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field span-2">
            <label class="label" for="upload-tags">
              Tags <span class="muted">(comma separated)</span>
            </label>
            <input id="upload-tags" value={tags} placeholder="hero, summer" onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
          </div>
          {target.kind === 'new' && (
            <div class="field span-4">
              <label class="check">
                <input type="checkbox" checked={shared} onChange={(e) => setShared((e.target as HTMLInputElement).checked)} />
                <span>Share with every organisation of the activation (cannot be undone)</span>
              </label>
            </div>
          )}
        </div>
        {missing && (
          <div class="alert alert-error" role="alert">
            {missing}
          </div>
        )}
        {refusal?.field === 'other' && (
          <div class="alert alert-error" role="alert">
            {refusal.message}
          </div>
        )}
        <div class="btn-row">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
          <button type="button" class="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
