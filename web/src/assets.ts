// Asset library logic (docs/assets.md): sizes, dimensions and durations as people read them,
// a version's spec check, a localisation variant's state in words, the search filter ↔ query,
// and what an upload refusal says (the expected name for a naming-template refusal, each
// violation of a spec refusal). Pure functions, no DOM: unit-tested in assets.test.ts.

import { ApiError } from './errors.ts';
import type { AssetMedia, AssetUpload, AssetVariantState, AssetVersion } from './types.ts';

/** "512 B", "1.5 KiB", "2.4 MiB", "1.1 GiB" (binary units, as the platform specs count them). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = v >= 100 ? 0 : 1;
  return `${v.toFixed(digits).replace(/\.0$/, '')} ${units[i]}`;
}

/** "15.2 s" below a minute, "1:05" from a minute, "1:02:03" from an hour. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "1080 × 1350 px", plus the duration of a video or the frames of an animation. */
export function formatMedia(media: AssetMedia | null | undefined): string {
  if (!media) return '—';
  const parts: string[] = [];
  if (media.width && media.height) parts.push(`${media.width} × ${media.height} px`);
  if (media.duration_ms != null && media.duration_ms > 0) parts.push(formatDuration(media.duration_ms));
  if (media.animated && media.frames) parts.push(`${media.frames} frames`);
  return parts.length ? parts.join(' · ') : '—';
}

export type SpecOutcome = { kind: 'pass'; placement: string } | { kind: 'fail'; placement: string; violations: string[] } | { kind: 'none' };

/** A stored version's spec check: passed for its placement, or none was named at upload. */
export function specOutcome(v: Pick<AssetVersion, 'spec_check'>): SpecOutcome {
  const sc = v.spec_check;
  if (!sc) return { kind: 'none' };
  const placement = typeof sc.placement === 'string' ? sc.placement : '';
  const violations = (sc.violations ?? []).map((x) => x.message);
  return violations.length ? { kind: 'fail', placement, violations } : { kind: 'pass', placement };
}

const TRANSLATION: Record<AssetVariantState['translation'], string> = {
  pending: 'translation pending',
  in_progress: 'translation in progress',
  done: 'translated',
};
const REVIEW: Record<AssetVariantState['review'], string> = {
  pending: 'review pending',
  approved: 'approved',
  changes_requested: 'changes requested',
};

/** "Translated · approved (master v2)": a variant's two states and the master version it was made from. */
export function variantStateText(v: AssetVariantState): string {
  const t = TRANSLATION[v.translation];
  return `${t.charAt(0).toUpperCase()}${t.slice(1)} · ${REVIEW[v.review]} (master v${v.master_version})`;
}

export interface AssetFilter {
  tag: string;
  platform: string;
  locale: string;
}

/** The filter as the list's query: empty fields are left out, tags lower-cased as stored. */
export function filterQuery(f: AssetFilter): { tag?: string; platform?: string; locale?: string } {
  const out: { tag?: string; platform?: string; locale?: string } = {};
  if (f.tag.trim()) out.tag = f.tag.trim().toLowerCase();
  if (f.platform.trim()) out.platform = f.platform.trim();
  if (f.locale.trim()) out.locale = f.locale.trim();
  return out;
}

/** Comma or space separated tags → the API's comma list ("Hero, kit  summer" → "hero,kit,summer"). */
export function normalizeTags(input: string): string {
  return input
    .split(/[\s,]+/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '')
    .join(',');
}

/** The upload's query from the form: only the fields given. */
export function uploadQuery(form: { name: string; platform: string; locale: string; tags: string; shared: boolean; asset?: string; master?: string }): AssetUpload {
  const q: AssetUpload = { name: form.name.trim() };
  if (form.asset) q.asset = form.asset;
  if (form.master) q.master = form.master;
  if (form.platform.trim()) q.platform = form.platform.trim();
  if (form.locale.trim()) q.locale = form.locale.trim();
  const tags = normalizeTags(form.tags);
  if (tags) q.tags = tags;
  if (form.shared) q.shared = 'true';
  return q;
}

export interface UploadRefusal {
  field: 'name' | 'file' | 'other';
  message: string;
  /** The name the naming template expects, when the refusal gives it. */
  expectedName: string | null;
  /** Every spec violation of a `spec_violation` refusal. */
  violations: string[];
}

/** What to show for a refused upload, next to the name or the file field. */
export function uploadRefusal(e: unknown): UploadRefusal {
  if (!(e instanceof ApiError)) return { field: 'other', message: e instanceof Error ? e.message : String(e), expectedName: null, violations: [] };
  const field = e.field === 'name' ? 'name' : e.field === 'file' || e.status === 413 || e.status === 415 ? 'file' : 'other';
  const expected = /expected name like (\S+?),? got\b/.exec(e.message);
  let violations: string[] = [];
  if (e.code === 'spec_violation') {
    const i = e.message.indexOf('): ');
    if (i >= 0) violations = e.message.slice(i + 3).split('; ').filter((s) => s !== '');
  }
  return { field, message: e.message, expectedName: expected ? expected[1]! : null, violations };
}
