// Types of the Tutti HTTP JSON API (/api/v1) as used by the web UI.

export type OrgKind = 'host' | 'partner';
export type Role =
  | 'owner'
  | 'facilitator'
  | 'workstream_owner'
  | 'contributor'
  | 'viewer'
  | 'partner_admin';

export interface User {
  id: string;
  email: string;
  name: string;
  org_id: string;
  org_name: string;
  org_kind: OrgKind;
  role: Role;
}

export interface LoginResponse {
  token: string;
  csrf_token: string;
  expires_at: string;
  user: User;
}

export interface MeResponse extends User {
  csrf_token?: string;
}

export type Objective = 'visibility' | 'lead_generation' | 'retention';
export type ActivationStatus = 'draft' | 'planning' | 'live' | 'closed';

export interface Audience {
  name: string;
  description: string;
}

export interface Market {
  name: string;
  tz: string;
}

export interface Metric {
  name: string;
  unit: string;
  target: number | null;
  forecast: number | null;
}

export interface Money {
  amount_micros: number;
  currency: string;
}

export interface Activation {
  id: string;
  host_org_id: string;
  host_org_name: string;
  name: string;
  objective: Objective;
  status: ActivationStatus;
  description: string;
  audiences: Audience[];
  markets: Market[];
  primary_metric: Metric | null;
  supporting_metrics: Metric[];
  budget: Money | null;
  version: number;
  created_at: string;
  updated_at: string;
  partner_count: number;
}

/** Writable fields of an activation (PATCH body), plus optimistic-concurrency version. */
export interface ActivationPatch {
  name?: string;
  objective?: Objective;
  status?: ActivationStatus;
  description?: string;
  audiences?: Audience[];
  markets?: Market[];
  primary_metric?: Metric | null;
  supporting_metrics?: Metric[];
  budget?: Money | null;
  version?: number;
}

export type PartnerRole = 'co_brand' | 'media' | 'influencer' | 'agency' | 'technology' | 'data';

export interface Partner {
  org_id: string;
  org_name: string;
  role: PartnerRole;
  facilitator: boolean;
  contribution?: Money | null;
  notes?: string | null;
  joined_at: string;
}

export type WorkstreamKind =
  | 'creative'
  | 'media'
  | 'data'
  | 'tech_integration'
  | 'measurement'
  | 'community'
  | 'legal';

export type Responsibility = 'R' | 'A' | 'C' | 'I';

export interface RaciEntry {
  user_id: string;
  user_name: string;
  responsibility: Responsibility;
}

export interface Workstream {
  id: string;
  activation_id: string;
  kind: WorkstreamKind;
  name: string;
  primary_owner_id: string;
  primary_owner_name: string;
  raci: RaciEntry[];
}

export interface AuditEntry {
  seq: number;
  at: string | number;
  actor_id: string | null;
  actor_name: string | null;
  actor_org_id: string | null;
  entity_type: string;
  entity_id: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  hash: string;
}

export type AuditVerify =
  | { ok: true; entries: number; head: string }
  | { ok: false; first_bad_seq: number; reason: string };

export interface ItemList<T> {
  items: T[];
}

export const OBJECTIVES: readonly Objective[] = ['visibility', 'lead_generation', 'retention'];
export const STATUSES: readonly ActivationStatus[] = ['draft', 'planning', 'live', 'closed'];

// ---- scheduling: the plan (milestones) and its computed schedule (docs/scheduling.md) ----

/** A finish-to-start dependency: an id, or an id with a lag ("4h", "1wd"). */
export type AfterEntry = string | { id: string; lag?: string };

export interface PlanMilestone {
  id: string;
  duration: string;
  after?: AfterEntry[];
  owner?: string;
  buffer?: string;
  market?: string;
  actual_start?: string;
  actual_finish?: string;
}

export interface PlanMarket {
  name: string;
  tz: string;
}

/** `{"at": INSTANT}` or `{"local", "markets", "on_gap", "on_overlap"}`. */
export interface PlanLaunch {
  at?: string;
  local?: string;
  markets?: PlanMarket[];
  on_gap?: string;
  on_overlap?: string;
}

export interface WorkCalendar {
  tz?: string;
  days?: string[];
  hours?: string[];
  holidays?: string[];
}

/** The stored plan document; the UI changes only what the user edits and keeps the rest. */
export interface PlanDocument {
  launch: PlanLaunch;
  fallback?: PlanLaunch;
  milestones: PlanMilestone[];
  calendars?: Record<string, WorkCalendar>;
  default_calendar?: WorkCalendar;
}

export interface ScheduledMilestone {
  id: string;
  earliest_start: string;
  earliest_finish: string;
  latest_start: string;
  latest_finish: string;
  slack_seconds: number;
  critical: boolean;
}

export interface Schedule {
  /** Each market's launch instant (UTC); "all" for an `"at"` launch. */
  launch: Record<string, string>;
  milestones: ScheduledMilestone[];
  critical_path: string[];
  at_risk: boolean;
  markets_at_risk: string[];
}

/** The engine's verdict on a stored document that no longer computes. */
export interface EngineError {
  code: string;
  message: string;
  field?: string | null;
  reason?: string;
}

/** A launch instant that moved because the server's tz database changed. */
export interface LaunchChange {
  market: string;
  /** The market's zone and the plan's local launch time (absent for an `"at"` launch). */
  tz?: string;
  local?: string;
  was: string;
  now: string;
  detected_at?: string;
}

export interface MilestonesResponse {
  plan: PlanDocument | null;
  version: number;
  updated_at: string | null;
  schedule: Schedule | null;
  computed_at: string;
  error?: EngineError | null;
  launch_changes?: LaunchChange[] | null;
}

export interface WhatIfResponse {
  schedule: Schedule;
  pushed_past_launch: string[];
  markets_missed: string[];
}

// ---- the content calendar (posts, windows, rules) and its findings ----

export interface PostAsset {
  ref: string;
  due: string;
}

export interface Post {
  id: string;
  /** The organisation (id) that publishes the post. */
  partner: string;
  platform: string;
  market: string;
  at: string;
  content_hash?: string;
  assets?: PostAsset[];
  /** Present while a publishing freeze holds the post (set by the server, never sent back). */
  frozen?: PostFrozen;
}

export interface ReleaseWindow {
  platform: string;
  market?: string;
  start: string;
  end: string;
}

export interface PeakWindow {
  partner: string;
  platform?: string;
  start: string;
  end: string;
}

export interface Blackout {
  name: string;
  start: string;
  end: string;
  market?: string;
  platform?: string;
  partner?: string;
}

export interface CalendarLaunch {
  market: string;
  at: string;
}

export interface ContentCalendar {
  launches?: CalendarLaunch[];
  release_windows?: ReleaseWindow[];
  peak_windows?: PeakWindow[];
  blackouts?: Blackout[];
  posts?: Post[];
  rules?: Record<string, unknown>;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  kind: string;
  severity: Severity;
  at: string;
  post_ids: string[];
  launch?: string;
  subject?: string;
  earliest_ok?: string;
  message: string;
}

export interface FindingsReport {
  findings: Finding[];
  counts: { error: number; warning: number; info: number };
}

export interface PostsResponse {
  content_calendar: ContentCalendar | null;
  version: number;
  updated_at: string | null;
  findings: FindingsReport | null;
  /** The launches the checks used (from the calendar, or derived from the stored plan). */
  launches?: CalendarLaunch[] | null;
  /** Where those launches come from: "calendar", "plan" or "none". */
  launches_from?: string;
  error?: EngineError | null;
}

/** PUT /activations/{id}/posts/{post_id}: the post without its id (+ optional version). */
export type PostBody = Omit<Post, 'id' | 'partner'> & { partner?: string; version?: number };

// ---- calendar subscriptions (iCalendar feeds) ----

export interface CalendarFeed {
  id: string;
  kind: 'user' | 'org';
  name: string;
  org_id: string;
  user_id: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface CreatedFeed {
  feed: CalendarFeed;
  url: string;
  webcal_url?: string;
  token: string;
}

// ---- measurement: data contracts of partner feeds, delivery status, attribution ----

/** How a contract field is treated on arrival (docs/ingest.md, "Privacy classes"). */
export type PrivacyClass = 'raw_identifier' | 'pseudonymous' | 'aggregate' | 'free_text';

export interface ContractField {
  name: string;
  type: string;
  required?: boolean;
  privacy: PrivacyClass | string;
  /** Where the field lands in the shared metric dictionary (event_id, user_key, timestamp, …). */
  role?: string;
  /** The kind of a raw identifier: email, phone, device_id. */
  identifier?: string;
  /** The values of an enum field. */
  values?: string[];
  /** The partner's own event names mapped onto impression, click, engagement, conversion. */
  event_types?: Record<string, string>;
  /** What a value field measures: revenue or spend. */
  metric?: string;
  max_length?: number;
}

export interface DataContractDocument {
  feed?: string;
  fields: ContractField[];
  /** How often a delivery is expected, e.g. "1d". */
  cadence?: string;
  /** Lateness tolerated after the cadence, e.g. "6h". */
  max_delay?: string;
  allow_extra_fields?: boolean;
}

export type DeliveryState = 'on_time' | 'late' | 'awaiting_first_delivery';

/** One partner feed of an activation, as GET /activations/{id}/contracts lists it. */
export interface FeedContract {
  id: string;
  activation_id?: string;
  org_id: string;
  org_name: string;
  feed: string;
  version: number;
  contract: DataContractDocument;
  created_at: string;
  updated_at: string;
  last_delivery_at: string | null;
  /** Absent when the stored contract no longer parses. */
  delivery?: { state: DeliveryState; due_by: string } | null;
}

export type AttributionModel = 'first' | 'last' | 'linear' | 'time_decay' | 'position' | 'markov' | 'shapley';

/** What credit is keyed by. */
export type CreditKey = 'channel' | 'partner' | 'partner,channel';

/**
 * Figures the caller may see: a key's credit under one model, a group of journeys, or the total.
 * `users` is how many distinct people stand behind it (the k-anonymity count).
 */
export interface ShownFigures {
  suppressed?: false;
  users: number;
  conversions: number;
  revenue: number;
  /**
   * What the touchpoints behind it cost. null: some of that spend is not shared with the caller;
   * 0: nobody reported spend (unknown, not free).
   */
  spend: number | null;
  /** spend ÷ conversions; null when spend is hidden or unknown, or nothing converted. */
  cpa: number | null;
  /** revenue ÷ spend; null when spend is hidden or unknown. */
  roas: number | null;
}

/** Figures withheld because fewer than `min_aggregate_users` people stand behind them (or they would give such a cell away). */
export interface SuppressedFigures {
  suppressed: true;
}

/** One key's credit under one model. `own`: only the caller's organisation's touches are behind it, so it is never suppressed. */
export type CreditRow = { key: string; own: boolean } & (ShownFigures | SuppressedFigures);

/** The journeys by how many organisations touched them: one, two or more, or none (a conversion without touches). */
export type JourneyGroup = 'solo' | 'co_branded' | 'direct';

/** A group of journeys; `journeys` counts converting and non-converting paths. */
export type PartnerMixRow = { key: JourneyGroup; own: boolean } & ((ShownFigures & { journeys: number }) | SuppressedFigures);

/** Every journey together. */
export type AttributionTotal = (ShownFigures & { journeys: number }) | SuppressedFigures;

export interface AttributionResponse {
  by: CreditKey;
  events: number;
  journeys: number;
  /** k: the fewest people a shared figure may stand for before it is suppressed. */
  min_aggregate_users: number;
  total: AttributionTotal;
  /** Solo, co-branded and direct journeys, in that order. Model-independent. */
  partner_mix: PartnerMixRow[];
  /** Per model asked for: one row per key, sorted by key. */
  results: Partial<Record<AttributionModel, CreditRow[]>>;
}

// ---- assets (docs/assets.md) ----

export type MediaFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'mp4' | 'mov';

/** What the file's own header says, never its name. */
export interface AssetMedia {
  format: MediaFormat;
  mime_type: string;
  width?: number;
  height?: number;
  frames?: number;
  animated?: boolean;
  duration_ms?: number | null;
}

/** The placement a version was checked against; an upload that violates its spec is refused. */
export interface SpecCheck {
  placement?: string;
  violations?: { field?: string; reason?: string; message: string }[];
  [key: string]: unknown;
}

export interface AssetVersion {
  version: number;
  sha256: string;
  bytes: number;
  file_name: string;
  media: AssetMedia;
  spec_check: SpecCheck | null;
  created_by: string;
  created_at: string;
  content_url: string;
}

export type TranslationState = 'pending' | 'in_progress' | 'done';
export type ReviewState = 'pending' | 'approved' | 'changes_requested';

export interface AssetVariantState {
  master_version: number;
  translation: TranslationState;
  review: ReviewState;
  stale: boolean;
  publishable: boolean;
  updated_at: string;
}

export interface Asset {
  id: string;
  activation_id: string;
  org_id: string;
  org_name: string;
  name_stem: string;
  kind: 'master' | 'variant';
  master_asset_id: string | null;
  locale: string;
  platform: string;
  tags: string[];
  shared: boolean;
  latest_version: number;
  versions: AssetVersion[];
  variant: AssetVariantState | null;
  /** Only on GET of one master: the variants the caller may see. */
  variants?: Asset[];
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AssetSettings {
  naming_template: string;
  brand: string;
  platform_specs: Record<string, unknown>;
  placements: string[];
  version: number;
  updated_by?: string;
  updated_at?: string;
}

/** Query of an upload: the file goes as the body, everything else here. */
export interface AssetUpload {
  name: string;
  asset?: string;
  master?: string;
  platform?: string;
  locale?: string;
  market?: string;
  context?: string;
  tags?: string;
  shared?: 'true' | 'false';
}

export type VariantAction = 'start_translation' | 'submit_translation' | 'approve' | 'request_changes';

// ---- approvals (docs/approvals.md) ----

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'changes_requested';
export type ApprovalDecisionKind = 'approve' | 'reject' | 'request_changes';
export type ApprovalSubjectKind = 'post' | 'asset' | 'brief_version' | 'document';

export interface ApprovalStepStatus {
  name: string;
  state: 'waiting' | 'pending' | 'approved' | 'rejected' | 'changes_requested' | 'cancelled';
  owed_users: string[];
  owed_roles: string[];
  approved_by: string[];
  activated_at?: string;
  due_at?: string;
  completed_at?: string;
  time_left_ms?: number;
  breached: boolean;
  escalation_level: number;
}

export interface ApprovalRound {
  round: number;
  started_at: string;
  started_by: string;
  comment?: string;
}

export interface ApprovalDecisionEntry {
  round: number;
  seq: number;
  step: string;
  user_id: string;
  decision: ApprovalDecisionKind;
  comment?: string;
  at: string;
}

export interface Approval {
  id: string;
  activation_id: string;
  org_id: string;
  org_name: string;
  subject: { kind: ApprovalSubjectKind; id: string };
  title: string;
  round: number;
  round_started_at: string;
  state: ApprovalState;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  evaluation: { state: ApprovalState; started_at: string; completed_at?: string; steps: ApprovalStepStatus[] };
  awaiting_you: string[];
  rounds: ApprovalRound[];
  decisions: ApprovalDecisionEntry[];
}

export interface InboxItem {
  approval_id: string;
  activation_id: string;
  activation_name?: string;
  title: string;
  subject?: { kind: ApprovalSubjectKind; id: string };
  org_id?: string;
  org_name?: string;
  round?: number;
  version?: number;
  step: string;
  due_at: string;
  time_left_ms: number;
  breached: boolean;
  escalation_level: number;
}

export interface ApprovalInbox {
  now: string;
  items: InboxItem[];
}

// ---- phase gates (docs/approvals.md, "Gates") ----

export type GatePhase = 'ideation' | 'proof_of_concept' | 'pilot' | 'full_deployment' | 'retrospective';
export type GateMetric = 'impressions' | 'clicks' | 'conversions' | 'spend' | 'revenue' | 'ctr' | 'cpc' | 'cpm' | 'cpa' | 'conversion_rate' | 'roas';

export interface GateCriterionResult {
  id: string;
  kind: 'checklist' | 'approval' | 'metric';
  outcome: 'pass' | 'fail' | 'unknown';
  label: string;
  measured?: number;
  expected: string;
  message: string;
  metric?: GateMetric;
  scope?: string;
  scope_org_id?: string;
  withheld?: boolean;
}

export interface GateEvaluation {
  phase: GatePhase;
  ready: boolean;
  counts: { pass: number; fail: number; unknown: number };
  criteria: GateCriterionResult[];
}

export interface GateCriteria {
  phase?: GatePhase;
  checklist?: { id: string; label: string }[];
  approvals?: { id?: string; role?: string; user?: string; count?: number }[];
  metrics?: { id?: string; metric: GateMetric; op: '>=' | '<=' | '>' | '<'; value: number; scope?: string }[];
}

export interface GateChecklistMark {
  phase?: GatePhase;
  item_id: string;
  checked: boolean;
  changed_by: string | null;
  changed_at: string | null;
}

export interface GateSignOff {
  phase?: GatePhase;
  user_id: string;
  role: Role;
  party: 'host' | 'partner';
  comment: string;
  signed_at: string;
}

export interface GatePhaseStatus {
  phase: GatePhase;
  state: 'passed' | 'current' | 'upcoming';
  version: number;
  criteria: GateCriteria | null;
  updated_by?: string | null;
  updated_at?: string | null;
  ready: boolean;
  evaluation: GateEvaluation;
  checklist: GateChecklistMark[];
  sign_offs: GateSignOff[];
}

export interface GateDecision {
  id: string;
  seq: number;
  phase: GatePhase;
  verdict: 'go' | 'no_go';
  reason: string;
  overrides: { criterion: string; reason: string }[];
  criteria_version: number;
  evaluation: GateEvaluation;
  next_phase: GatePhase | null;
  decided_by: string;
  decided_at: string;
}

export interface GateBoard {
  activation_id: string;
  current_phase: GatePhase;
  phase_since: string | null;
  completed: boolean;
  phases: GatePhaseStatus[];
  decisions: GateDecision[];
  caller_may: GateCallerMay;
}

/** What the signed-in caller may do on a gate board, by the rules the API applies to each write. */
export interface GateCallerMay {
  edit_criteria: boolean;
  tick_checklist: boolean;
  sign_off: boolean;
  decide: boolean;
  override: boolean;
}

export interface GateDecisionInput {
  verdict: 'go' | 'no_go';
  reason: string;
  overrides?: { criterion: string; reason: string }[];
}

// ---- publishing freezes ----

/** A freeze as the API sends it; older drafts of the API said frozen_by / frozen_at. */
export interface Freeze {
  id: string;
  scope: 'activation' | 'partner';
  org_id?: string | null;
  reason: string;
  created_by?: string;
  created_at?: string;
  frozen_by?: string;
  frozen_at?: string;
  lifted_by?: string | null;
  lifted_at?: string | null;
  lift_reason?: string | null;
  active: boolean;
}

/** What GET …/posts adds to a post a freeze holds. */
export interface PostFrozen {
  freeze_id: string;
  reason: string;
  since: string;
}

// ---- crisis response (archive tag) ----

/** The latest version of a crisis-response template; `pre_approved` is that version's approval. */
export interface CrisisTemplate {
  id: string;
  activation_id?: string;
  version: number;
  title: string;
  situation: string;
  body: string;
  channels: string[];
  pre_approved: boolean;
  approved_by: string | null;
  approved_at: string | null;
  /** An earlier version may keep its approval after a revision voided the latest's. */
  last_approved_version: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface IncidentRosterEntry {
  duty: string;
  user_id: string;
  backup_user_id: string | null;
  phone: string | null;
  /** Who is called first: lower first. */
  order: number;
}

export interface IncidentRoster {
  activation_id: string;
  entries: IncidentRosterEntry[];
  /** 0 while none was stored. */
  version: number;
  updated_by: string | null;
  updated_at: string | null;
}

// ---- post content, links and publications (docs/publishing.md, "Posts in the product") ----

export type PostFormat = 'text' | 'image' | 'video' | 'story' | 'live' | 'audio';
export type MediaDisclosure = 'none' | 'shown' | 'repeated';

/** One UTM parameter of a tagged link: as typed, as written into the URL, and whether Tutti filled it in. */
export interface TaggedUtmValue {
  parameter: string;
  typed: string;
  value: string;
  derived: boolean;
}

export interface LinkViolation {
  /** "" for the URL as a whole. */
  parameter: string;
  reason: string;
  message: string;
}

export interface TaggedLink {
  url: string;
  mode: 'tagged';
  tagged_url: string;
  utm: TaggedUtmValue[];
  /** The channel the medium counts under ("" when the taxonomy maps none). */
  channel: string;
}

export interface ValidatedLink {
  url: string;
  mode: 'validated';
  compliant: boolean;
  violations: LinkViolation[];
}

export type ContentLink = TaggedLink | ValidatedLink;

export interface DisclosureMarker {
  text: string;
  /** Code points before the marker. */
  character: number;
  /** 0-based line. */
  line: number;
  up_front: boolean;
  buried: boolean;
}

/** The disclosure check as it stood when the version was written. */
export interface DisclosureCheck {
  ok: boolean;
  markers: DisclosureMarker[];
  field?: string;
  reason?: string;
  message?: string;
}

/** One immutable content version of a calendar post. */
export interface PostContent {
  activation_id: string;
  post_id: string;
  version: number;
  org_id: string;
  copy: string;
  format: PostFormat;
  paid: boolean;
  partner: boolean;
  platform: string;
  platform_flag: boolean;
  media_disclosure: MediaDisclosure;
  asset_ids: string[];
  links: ContentLink[];
  disclosure: DisclosureCheck;
  taxonomy_version: number;
  /** This is the version the post's approvals cover. */
  approved: boolean;
  created_by: string;
  created_at: string;
}

export interface PostContentVersions {
  /** Oldest first: only the versions the caller may read. */
  items: PostContent[];
  approved_version: number | null;
}

export type ContentLinkInput = { url: string; utm?: Record<string, string> } | { url: string; validate_only: true };

/** PUT …/posts/{post_id}/content: the next version (`version` is the latest one read, 0 for none). */
export interface PostContentBody {
  copy: string;
  format: PostFormat;
  paid: boolean;
  partner: boolean;
  platform_flag: boolean;
  media_disclosure: MediaDisclosure;
  asset_ids: string[];
  links: ContentLinkInput[];
  version: number;
}

export interface Publication {
  id: string;
  activation_id: string;
  post_id: string;
  org_id: string;
  platform: string;
  live_url: string;
  published_at: string;
  content_version: number;
  approval_id: string;
  recorded_by: string;
  recorded_at: string;
}

export interface CampaignSegment {
  name: string;
  values?: string[];
  kind?: 'date' | 'version' | 'slug' | 'number' | string;
}

export interface UtmTaxonomyDocument {
  version: string;
  required?: string[];
  values?: Record<string, string[]>;
  campaign_naming?: { separator: string; segments: CampaignSegment[] };
  medium_channels?: Record<string, string>;
  internal_hosts?: string[];
}

export interface UtmTaxonomyResponse {
  /** null while none is stored (version 0). */
  taxonomy: UtmTaxonomyDocument | null;
  version: number;
  updated_by?: string | null;
  updated_at?: string | null;
}
