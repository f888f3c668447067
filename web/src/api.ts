// Thin client for the Tutti JSON API. The browser authenticates with the HttpOnly session cookie
// set by POST /auth/login; every non-GET request carries the CSRF token in X-CSRF-Token. The
// CSRF token lives in sessionStorage and is re-read from GET /me after a reload.

import { ApiError, parseApiError } from './errors.ts';
import { attributionQuery, type AttributionSettings } from './measurement.ts';
import type {
  Activation,
  ActivationPatch,
  AttributionModel,
  AttributionResponse,
  AuditEntry,
  AuditVerify,
  Approval,
  ApprovalDecisionKind,
  ApprovalInbox,
  Asset,
  AssetSettings,
  AssetUpload,
  Freeze,
  GateBoard,
  GateChecklistMark,
  GateDecision,
  GateDecisionInput,
  GatePhase,
  GateSignOff,
  VariantAction,
  CalendarFeed,
  ContentCalendar,
  CrisisTemplate,
  IncidentRoster,
  CreatedFeed,
  FeedContract,
  ItemList,
  MilestonesResponse,
  PlanDocument,
  PostBody,
  PostContent,
  PostContentBody,
  PostContentVersions,
  PostsResponse,
  Publication,
  UtmTaxonomyResponse,
  WhatIfResponse,
  LoginResponse,
  MeResponse,
  Objective,
  Partner,
  User,
  Workstream,
} from './types.ts';

const BASE = '/api/v1';
const CSRF_KEY = 'tutti.csrf';

export function getCsrfToken(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

export function setCsrfToken(token: string | null | undefined): void {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // Storage disabled: the token then only lives until the next reload (GET /me restores it).
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** Registers what happens when any call (other than log-in) answers 401. */
export function setUnauthorizedHandler(h: UnauthorizedHandler): void {
  onUnauthorized = h;
}

interface RequestOptions {
  body?: unknown;
  /** A file sent as it is (with its own media type) instead of a JSON body. */
  raw?: Blob;
  signal?: AbortSignal;
  /** Do not trigger the global 401 handler (log-in, initial session probe). */
  quiet401?: boolean;
  headers?: Record<string, string>;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.raw !== undefined) headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = getCsrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: opts.raw !== undefined ? opts.raw : opts.body !== undefined ? JSON.stringify(opts.body) : null,
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw parseApiError(0, '');
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    const err = parseApiError(res.status, text, res.headers.get('Retry-After'));
    if (err.status === 401 && !opts.quiet401) onUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, 'bad_response', 'The server sent a response that could not be read.');
  }
}

function q(params: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) sp.set(k, String(v));
  const s = sp.toString();
  return s ? '?' + s : '';
}

const enc = encodeURIComponent;

// Up to 20 pages of 500 entries are read for one view.
const MAX_AUDIT_PAGES = 20;

interface AuditPage extends ItemList<AuditEntry> {
  next_after_seq?: number | null;
}

export const api = {
  async login(email: string, password: string): Promise<User> {
    const r = await request<LoginResponse>('POST', '/auth/login', { body: { email, password }, quiet401: true });
    setCsrfToken(r.csrf_token);
    return r.user;
  },
  async logout(): Promise<void> {
    try {
      await request<void>('POST', '/auth/logout', { quiet401: true });
    } finally {
      setCsrfToken(null);
    }
  },
  /** The current user, or null when not logged in. */
  async me(): Promise<User | null> {
    try {
      const r = await request<MeResponse>('GET', '/me', { quiet401: true });
      if (r.csrf_token) setCsrfToken(r.csrf_token);
      const { csrf_token: _ignored, ...user } = r;
      return user;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw e;
    }
  },
  listActivations(signal?: AbortSignal): Promise<ItemList<Activation>> {
    return request('GET', '/activations', { signal });
  },
  createActivation(name: string, objective: Objective): Promise<Activation> {
    return request('POST', '/activations', { body: { name, objective } });
  },
  getActivation(id: string, signal?: AbortSignal): Promise<Activation> {
    return request('GET', `/activations/${enc(id)}`, { signal });
  },
  patchActivation(id: string, patch: ActivationPatch): Promise<Activation> {
    return request('PATCH', `/activations/${enc(id)}`, { body: patch });
  },
  listPartners(id: string, signal?: AbortSignal): Promise<ItemList<Partner>> {
    return request('GET', `/activations/${enc(id)}/partners`, { signal });
  },
  listWorkstreams(id: string, signal?: AbortSignal): Promise<ItemList<Workstream>> {
    return request('GET', `/activations/${enc(id)}/workstreams`, { signal });
  },
  // The server filters each page by visibility after reading it, so a page can be short while
  // more follow: keep reading while it hands back a cursor (bounded, to stay responsive).
  async listAudit(activationId: string, signal?: AbortSignal): Promise<ItemList<AuditEntry>> {
    const items: AuditEntry[] = [];
    let after: number | null = 0;
    for (let page = 0; after !== null && page < MAX_AUDIT_PAGES; page++) {
      const params: Record<string, string> = { activation_id: activationId };
      if (after > 0) params.after_seq = String(after);
      const reply: AuditPage = await request('GET', `/audit${q(params)}`, { signal });
      items.push(...reply.items);
      after = reply.next_after_seq ?? null;
    }
    return { items };
  },
  verifyAudit(signal?: AbortSignal): Promise<AuditVerify> {
    return request('GET', '/audit/verify', { signal });
  },

  // ---- scheduling ----
  getMilestones(id: string, signal?: AbortSignal): Promise<MilestonesResponse> {
    return request('GET', `/activations/${enc(id)}/milestones`, { signal });
  },
  /** Stores the whole plan; `version` is the one the edit started from (409 when stale). */
  putMilestones(id: string, plan: PlanDocument, version: number): Promise<MilestonesResponse> {
    return request('PUT', `/activations/${enc(id)}/milestones`, { body: { ...plan, version } });
  },
  whatIf(id: string, milestone: string, by: string): Promise<WhatIfResponse> {
    return request('POST', `/activations/${enc(id)}/milestones/what-if`, { body: { delay: { id: milestone, by } } });
  },
  getPosts(id: string, signal?: AbortSignal): Promise<PostsResponse> {
    return request('GET', `/activations/${enc(id)}/posts`, { signal });
  },
  putCalendar(id: string, calendar: ContentCalendar, version: number): Promise<PostsResponse> {
    return request('PUT', `/activations/${enc(id)}/posts`, { body: { ...calendar, version } });
  },
  /** Creates or replaces one post (the body carries the expected version). */
  putPost(id: string, postId: string, body: PostBody): Promise<PostsResponse> {
    return request('PUT', `/activations/${enc(id)}/posts/${enc(postId)}`, { body });
  },
  deletePost(id: string, postId: string, version: number): Promise<PostsResponse> {
    return request('DELETE', `/activations/${enc(id)}/posts/${enc(postId)}`, { headers: { 'If-Match': `"${version}"` } });
  },

  // ---- measurement ----
  /** The data contract of every partner feed of the activation, with its delivery status. */
  listContracts(id: string, signal?: AbortSignal): Promise<ItemList<FeedContract>> {
    return request('GET', `/activations/${enc(id)}/contracts`, { signal });
  },
  /** Credit by each of `models` side by side, with the settings' key, windows and Markov order. */
  getAttribution(id: string, settings: AttributionSettings, models: AttributionModel[], signal?: AbortSignal): Promise<AttributionResponse> {
    return request('GET', `/activations/${enc(id)}/attribution${attributionQuery(settings, models)}`, { signal });
  },

  // ---- calendar subscriptions ----
  listFeeds(signal?: AbortSignal): Promise<{ feeds: CalendarFeed[] }> {
    return request('GET', '/calendar-feeds', { signal });
  },
  createFeed(kind: 'user' | 'org', name?: string): Promise<CreatedFeed> {
    return request('POST', '/calendar-feeds', { body: kind === 'org' ? { kind, name } : { kind } });
  },
  revokeFeed(feedId: string): Promise<{ feed: CalendarFeed }> {
    return request('DELETE', `/calendar-feeds/${enc(feedId)}`);
  },

  // ---- assets ----
  /** The assets the caller may see, filtered by tag (also `platform:…`, `locale:…`), platform and locale. */
  listAssets(id: string, filter: { tag?: string; platform?: string; locale?: string }, signal?: AbortSignal): Promise<ItemList<Asset>> {
    return request('GET', `/activations/${enc(id)}/assets${q(filter)}`, { signal });
  },
  /** One asset with its versions and (for a master) the variants the caller may see. */
  getAsset(id: string, assetId: string, signal?: AbortSignal): Promise<Asset> {
    return request('GET', `/activations/${enc(id)}/assets/${enc(assetId)}`, { signal });
  },
  /** Uploads `file` as a new asset, a new version (`asset`) or a variant (`master`). */
  uploadAsset(id: string, upload: AssetUpload, file: Blob): Promise<Asset> {
    return request('POST', `/activations/${enc(id)}/assets${q({ ...upload })}`, { raw: file });
  },
  moveVariant(id: string, assetId: string, variantId: string, action: VariantAction): Promise<Asset> {
    return request('PUT', `/activations/${enc(id)}/assets/${enc(assetId)}/variants/${enc(variantId)}/state`, { body: { action } });
  },
  getAssetSettings(id: string, signal?: AbortSignal): Promise<AssetSettings> {
    return request('GET', `/activations/${enc(id)}/asset-settings`, { signal });
  },

  // ---- approvals ----
  /** The caller's pending approval steps in every activation, most urgent first. */
  getInbox(signal?: AbortSignal): Promise<ApprovalInbox> {
    return request('GET', '/approvals/inbox', { signal });
  },
  listApprovals(id: string, signal?: AbortSignal): Promise<ItemList<Approval>> {
    return request('GET', `/activations/${enc(id)}/approvals`, { signal });
  },
  getApproval(id: string, approvalId: string, signal?: AbortSignal): Promise<Approval> {
    return request('GET', `/activations/${enc(id)}/approvals/${enc(approvalId)}`, { signal });
  },
  /** Decides `step`; `version` is the request's version last seen (409 when stale). */
  decideApproval(id: string, approvalId: string, step: string, decision: ApprovalDecisionKind, comment: string, version: number): Promise<Approval> {
    const body: Record<string, unknown> = { step, decision, version };
    if (comment.trim() !== '') body.comment = comment;
    return request('POST', `/activations/${enc(id)}/approvals/${enc(approvalId)}/decisions`, { body });
  },

  // ---- phase gates ----
  getGates(id: string, signal?: AbortSignal): Promise<GateBoard> {
    return request('GET', `/activations/${enc(id)}/gates`, { signal });
  },
  markChecklistItem(id: string, phase: GatePhase, itemId: string, checked: boolean): Promise<GateChecklistMark> {
    return request('PUT', `/activations/${enc(id)}/gates/${enc(phase)}/checklist/${enc(itemId)}`, { body: { checked } });
  },
  signOffGate(id: string, phase: GatePhase, comment: string): Promise<GateSignOff> {
    return request('POST', `/activations/${enc(id)}/gates/${enc(phase)}/sign-offs`, { body: comment.trim() ? { comment } : {} });
  },
  decideGate(id: string, phase: GatePhase, input: GateDecisionInput): Promise<GateDecision & { current_phase: GatePhase }> {
    return request('POST', `/activations/${enc(id)}/gates/${enc(phase)}/decisions`, { body: input });
  },

  // ---- publishing freezes ----
  listFreezes(id: string, signal?: AbortSignal): Promise<{ items?: Freeze[]; freezes?: Freeze[] }> {
    return request('GET', `/activations/${enc(id)}/freezes`, { signal });
  },
  freeze(id: string, body: { scope: 'activation' | 'partner'; org_id?: string; reason: string }): Promise<Freeze> {
    return request('POST', `/activations/${enc(id)}/freezes`, { body });
  },
  liftFreeze(id: string, freezeId: string, reason: string): Promise<Freeze> {
    return request('POST', `/activations/${enc(id)}/freezes/${enc(freezeId)}/lift`, { body: { reason } });
  },

  // ---- post content, links and publications ----
  /** The latest content version the caller may read (or `version`); 404 when there is none they may read. */
  getPostContent(id: string, postId: string, version?: number, signal?: AbortSignal): Promise<PostContent> {
    return request('GET', `/activations/${enc(id)}/posts/${enc(postId)}/content${q({ version })}`, { signal });
  },
  listPostContentVersions(id: string, postId: string, signal?: AbortSignal): Promise<PostContentVersions> {
    return request('GET', `/activations/${enc(id)}/posts/${enc(postId)}/content/versions`, { signal });
  },
  /** Saves the next version; 409 `stale` when `body.version` is not the latest. */
  putPostContent(id: string, postId: string, body: PostContentBody): Promise<PostContent> {
    return request('PUT', `/activations/${enc(id)}/posts/${enc(postId)}/content`, { body });
  },
  listPublications(id: string, postId: string, signal?: AbortSignal): Promise<ItemList<Publication>> {
    return request('GET', `/activations/${enc(id)}/posts/${enc(postId)}/publications`, { signal });
  },
  /** 409 `frozen` while a freeze holds the post, 409 `not_approved` unless its latest content is approved. */
  recordPublication(id: string, postId: string, body: { live_url: string; published_at?: string }): Promise<Publication> {
    return request('POST', `/activations/${enc(id)}/posts/${enc(postId)}/publications`, { body });
  },
  getUtmTaxonomy(id: string, signal?: AbortSignal): Promise<UtmTaxonomyResponse> {
    return request('GET', `/activations/${enc(id)}/utm-taxonomy`, { signal });
  },

  // ---- crisis response ----
  listCrisisTemplates(id: string, signal?: AbortSignal): Promise<ItemList<CrisisTemplate>> {
    return request('GET', `/activations/${enc(id)}/crisis-templates`, { signal });
  },
  /** Pre-approves `version`, which must be the latest (409 otherwise: approve what you read). */
  approveCrisisTemplate(id: string, templateId: string, version: number): Promise<CrisisTemplate> {
    return request('POST', `/activations/${enc(id)}/crisis-templates/${enc(templateId)}/approve`, { body: { version } });
  },
  getIncidentRoster(id: string, signal?: AbortSignal): Promise<IncidentRoster> {
    return request('GET', `/activations/${enc(id)}/incident-roster`, { signal });
  },
};
