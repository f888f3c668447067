// Approvals inbox and history logic (docs/approvals.md): how much time a step has left as a
// sentence ("due in 3 h 20 min", "overdue by 45 min") counted down live from the server's own
// figure, the tone it is shown in, which decisions need a comment, and a request's history as
// rounds with their decisions. Pure functions, no DOM: unit-tested in approvals.test.ts.

import type { Approval, ApprovalDecisionEntry, ApprovalDecisionKind, ApprovalRound, InboxItem } from './types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 h 20 min", "2 d 5 h", "45 min", "less than a minute": whole units, rounded down. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'less than a minute';
  if (abs >= DAY) {
    const d = Math.floor(abs / DAY);
    const h = Math.floor((abs % DAY) / HOUR);
    return h > 0 ? `${d} d ${h} h` : `${d} d`;
  }
  const h = Math.floor(abs / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  if (h === 0) return `${m} min`;
  return m > 0 ? `${h} h ${m} min` : `${h} h`;
}

/** "due in 3 h 20 min" while time is left, "overdue by 45 min" once the due time passed. */
export function formatTimeLeft(timeLeftMs: number): string {
  return timeLeftMs >= 0 ? `due in ${formatSpan(timeLeftMs)}` : `overdue by ${formatSpan(timeLeftMs)}`;
}

export type Urgency = 'overdue' | 'soon' | 'later';

/** Steps due within this long are shown as urgent (amber) before they turn red. */
export const SOON_MS = 4 * HOUR;

/** Red once overdue (or breached by the server's reckoning), amber within SOON_MS, else neutral. */
export function urgency(timeLeftMs: number, breached = false): Urgency {
  if (breached || timeLeftMs < 0) return 'overdue';
  return timeLeftMs <= SOON_MS ? 'soon' : 'later';
}

/**
 * Time left now, counted down from the server's `time_left_ms` (measured on the server's clock
 * when the inbox was read, at `fetchedAt` on ours): the browser's clock may be off, its elapsed
 * time is not.
 */
export function liveTimeLeft(serverTimeLeftMs: number, fetchedAt: number, now: number): number {
  return serverTimeLeftMs - Math.max(0, now - fetchedAt);
}

export const DECISION_LABELS: Record<ApprovalDecisionKind, string> = {
  approve: 'Approve',
  reject: 'Reject',
  request_changes: 'Request changes',
};

/** Rejecting and requesting changes end the round; the API requires a comment for them. */
export function commentRequired(decision: ApprovalDecisionKind): boolean {
  return decision !== 'approve';
}

/** Why the decision cannot be sent as typed, or null when it can. */
export function decisionProblem(decision: ApprovalDecisionKind, comment: string): string | null {
  if (commentRequired(decision) && comment.trim() === '') {
    return decision === 'reject' ? 'Say why you reject it: a comment is required.' : 'Say what should change: a comment is required.';
  }
  return null;
}

export interface RoundHistory extends ApprovalRound {
  decisions: ApprovalDecisionEntry[];
}

/** Each round (oldest first) with the decisions made in it, in order. */
export function approvalHistory(a: Pick<Approval, 'rounds' | 'decisions'>): RoundHistory[] {
  const rounds = [...(a.rounds ?? [])].sort((x, y) => x.round - y.round);
  return rounds.map((r) => ({
    ...r,
    decisions: (a.decisions ?? []).filter((d) => d.round === r.round).sort((x, y) => x.seq - y.seq),
  }));
}

/** The inbox's items grouped by activation, in the inbox's (most urgent first) order. */
export function groupInbox(items: InboxItem[]): { activationId: string; name: string; items: InboxItem[] }[] {
  const groups: { activationId: string; name: string; items: InboxItem[] }[] = [];
  for (const it of items) {
    let g = groups.find((x) => x.activationId === it.activation_id);
    if (!g) {
      g = { activationId: it.activation_id, name: it.activation_name || it.activation_id, items: [] };
      groups.push(g);
    }
    g.items.push(it);
  }
  return groups;
}
