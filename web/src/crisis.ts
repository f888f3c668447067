// Crisis tab logic: the badge a template wears (pre-approved by whom and when, or a draft, with a
// note when a revision voided an earlier approval), the incident roster in call order, phone
// numbers as tel: links and channel names. Pure functions: unit-tested in crisis.test.ts.

import { humanize, toDate } from './format.ts';
import type { CrisisTemplate, IncidentRosterEntry } from './types.ts';

export interface TemplateBadge {
  tone: 'success' | 'warning';
  text: string;
}

/** "21 Nov 2026" in the viewer's zone (or `timeZone`); the raw value if it is not a date. */
export function formatDay(v: string | null | undefined, timeZone?: string): string {
  const d = toDate(v);
  if (!d) return v ?? '';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(d);
}

/**
 * Green "Pre-approved by Felix Hart, 21 Nov 2026" when the latest version is approved, amber
 * "Draft — not approved" otherwise. The approval belongs to the version, so only the latest
 * version's approval counts: a revised template is a draft again.
 */
export function templateBadge(t: CrisisTemplate, nameOf: (userId: string) => string, timeZone?: string): TemplateBadge {
  if (!t.pre_approved) return { tone: 'warning', text: 'Draft — not approved' };
  const by = t.approved_by ? nameOf(t.approved_by) : 'someone';
  const when = t.approved_at ? `, ${formatDay(t.approved_at, timeZone)}` : '';
  return { tone: 'success', text: `Pre-approved by ${by}${when}` };
}

/** Why a draft matters when an earlier version was approved: "Version 1 was pre-approved; version 3 is not yet." */
export function revisionNote(t: CrisisTemplate): string | null {
  if (t.pre_approved || t.last_approved_version == null || t.last_approved_version >= t.version) return null;
  return `Version ${t.last_approved_version} was pre-approved; version ${t.version} is not yet.`;
}

/** The roster as it is called: lower `order` first; equal orders keep the server's order. */
export function rosterInCallOrder(entries: readonly IncidentRosterEntry[]): IncidentRosterEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.order - b.e.order || a.i - b.i)
    .map((x) => x.e);
}

/**
 * A dialable "tel:" URI for a roster phone ("+1 555 0100" → "tel:+15550100"): the API allows
 * digits, "+", spaces, parentheses, dots and dashes; only digits and a leading "+" are dialled.
 * Null when no digit is left.
 */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits === '') return null;
  return `tel:${phone.trim().startsWith('+') ? '+' : ''}${digits}`;
}

/** "incident lead" → "Incident lead": the duty as typed, first letter capitalised. */
export function dutyLabel(duty: string): string {
  return duty.charAt(0).toUpperCase() + duty.slice(1);
}

// Brand spellings the plain "capitalise the first letter" rule gets wrong.
const CHANNEL_NAMES: Record<string, string> = {
  tiktok: 'TikTok',
  youtube: 'YouTube',
  linkedin: 'LinkedIn',
  x: 'X',
  sms: 'SMS',
};

/** "tiktok" → "TikTok", "press" → "Press", "instagram_stories" → "Instagram stories". */
export function channelLabel(channel: string): string {
  return CHANNEL_NAMES[channel.toLowerCase()] ?? humanize(channel);
}
