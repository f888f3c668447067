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
