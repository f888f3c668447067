// Post content in the calendar (docs/publishing.md, "Posts in the product"): the disclosure badge of
// a stored version, a live disclosure hint while typing (a mirror of publishing/disclosure.cc's
// markers and refusals; the server's check, stored with every version, stays authoritative), the
// editor's UTM fields from the activation's taxonomy (controlled lists, campaign names the naming
// rule allows, what the server will derive), the PUT body, where a server error belongs in the
// form, and the messages for refused saves and publications. Pure functions: unit-tested in
// publishing.test.ts.

import { ApiError } from './errors.ts';
import { resolveLocal } from './tz.ts';
import type {
  ContentLinkInput,
  DisclosureCheck,
  DisclosureMarker,
  MediaDisclosure,
  PostContent,
  PostContentBody,
  PostFormat,
  UtmTaxonomyDocument,
} from './types.ts';

export const POST_FORMATS: PostFormat[] = ['text', 'image', 'video', 'story', 'live', 'audio'];
export const MEDIA_DISCLOSURES: MediaDisclosure[] = ['none', 'shown', 'repeated'];

/** The nine GA keys, in the order the server writes them into a URL. */
export const UTM_PARAMETERS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_id',
  'utm_term',
  'utm_content',
  'utm_source_platform',
  'utm_creative_format',
  'utm_marketing_tactic',
] as const;

// ---- disclosure: the badge of a stored check ----

export interface DisclosureBadge {
  tone: 'success' | 'danger' | 'neutral';
  text: string;
}

/**
 * Green "Disclosed: #ad" (the first marker that counts), red "Needs a disclosure: <engine
 * message>", or neutral "No disclosure needed" for a post that is neither paid nor partner.
 */
export function disclosureBadge(check: DisclosureCheck | null | undefined): DisclosureBadge {
  if (!check) return { tone: 'neutral', text: 'Disclosure not checked' };
  if (!check.ok) return { tone: 'danger', text: `Needs a disclosure: ${check.message ?? check.reason ?? 'the check failed'}` };
  const counted = check.markers.find((m) => m.up_front && !m.buried);
  return counted ? { tone: 'success', text: `Disclosed: ${counted.text}` } : { tone: 'neutral', text: 'No disclosure needed' };
}

// ---- disclosure: the live hint (mirrors publishing/disclosure.cc) ----

const FOLD_CHARACTERS = 125;
const FOLD_LINES = 2;
const CLUSTER_SIZE = 3;

function isSpace(cp: number): boolean {
  return (
    cp === 0x20 ||
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200b) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff
  );
}

function isApostrophe(cp: number): boolean {
  return cp === 0x27 || cp === 0x2019;
}

/** Letters and digits of any script and '_'; outside ASCII the punctuation, symbol and emoji blocks end a word. */
function isWordChar(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f;
  if (cp === 0xfffd) return false;
  if (cp <= 0xbf) return cp === 0xaa || cp === 0xb5 || cp === 0xba;
  if (cp === 0xd7 || cp === 0xf7) return false;
  if (cp >= 0x2000 && cp <= 0x2bff) return false;
  if (cp >= 0x3000 && cp <= 0x303f) return false;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return false;
  if (cp >= 0xfe30 && cp <= 0xfe4f) return false;
  if (cp >= 0xff00 && cp <= 0xff0f) return false;
  if (cp >= 0x1f000 && cp <= 0x1faff) return false;
  if (cp >= 0xe0000 && cp <= 0xe007f) return false;
  return true;
}

interface Token {
  hashtag: boolean;
  /** As written, without '#' and trailing apostrophes. */
  word: string;
  /** Code-point offsets into the copy. */
  start: number;
  end: number;
  line: number;
  spacesBefore: boolean;
  joinedBefore: boolean;
}

function tokenize(cps: number[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 0;
  let previous = 0x20;
  let gapSpacesOnly = true;
  let gapHyphens = 0;
  const word = (from: number, to: number) => String.fromCodePoint(...cps.slice(from, to));
  const begin = (hashtag: boolean): Omit<Token, 'word' | 'end'> => ({
    hashtag,
    start: i,
    line,
    spacesBefore: tokens.length > 0 && gapSpacesOnly && gapHyphens === 0,
    joinedBefore: tokens.length > 0 && gapSpacesOnly && gapHyphens <= 1,
  });
  while (i < cps.length) {
    const cp = cps[i]!;
    if (cp === 0x23 && !isWordChar(previous) && previous !== 0x23 && i + 1 < cps.length && isWordChar(cps[i + 1]!)) {
      const t = begin(true);
      let j = i + 1;
      while (j < cps.length && isWordChar(cps[j]!)) j++;
      tokens.push({ ...t, word: word(i + 1, j), end: j });
      previous = cps[j - 1]!;
      i = j;
      gapSpacesOnly = true;
      gapHyphens = 0;
      continue;
    }
    if (isWordChar(cp)) {
      const t = begin(false);
      let j = i;
      while (j < cps.length && (isWordChar(cps[j]!) || isApostrophe(cps[j]!))) j++;
      let k = j;
      while (k > i && isApostrophe(cps[k - 1]!)) k--;
      tokens.push({ ...t, word: word(i, k), end: j });
      previous = cps[j - 1]!;
      i = j;
      gapSpacesOnly = true;
      gapHyphens = 0;
      continue;
    }
    if (cp === 0x0a) line++;
    if (cp === 0x2d) gapHyphens++;
    else if (!isSpace(cp)) gapSpacesOnly = false;
    previous = cp;
    i++;
  }
  return tokens;
}

// ASCII-only lower-casing, as the engine compares ("İ" is not "i").
const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const is = (word: string, lower: string) => lowerAscii(word) === lower;

function isNegation(t: Token): boolean {
  if (t.hashtag) return false;
  const w = lowerAscii(t.word);
  return ['not', 'no', 'never', 'non', 'without'].includes(w) || w.endsWith("n't") || w.endsWith('n\u2019t');
}

/** Every accepted disclosure marker in `copy` with its placement (code points, 0-based line), as the engine finds them. */
export function findDisclosureMarkers(copy: string): DisclosureMarker[] {
  const cps = Array.from(copy, (c) => c.codePointAt(0)!);
  const tokens = tokenize(cps);
  const buried = tokens.map(() => false);
  for (let start = 0; start < tokens.length; ) {
    let end = start + 1;
    if (tokens[start]!.hashtag) {
      while (end < tokens.length && tokens[end]!.hashtag && tokens[end]!.spacesBefore) end++;
      if (end - start >= CLUSTER_SIZE) for (let k = start + 1; k < end; k++) buried[k] = true;
    }
    start = end;
  }
  const markers: DisclosureMarker[] = [];
  tokens.forEach((t, k) => {
    let end = t.end;
    let marker = false;
    if (t.hashtag) marker = is(t.word, 'ad') || is(t.word, 'sponsored') || is(t.word, 'advertisement');
    else if (is(t.word, 'advertisement') || is(t.word, 'sponsored')) marker = k === 0 || !t.joinedBefore || !isNegation(tokens[k - 1]!);
    else if (is(t.word, 'paid') && k + 1 < tokens.length && !tokens[k + 1]!.hashtag && is(tokens[k + 1]!.word, 'partnership') && tokens[k + 1]!.joinedBefore) {
      marker = true;
      end = tokens[k + 1]!.end;
    }
    if (!marker) return;
    markers.push({
      text: String.fromCodePoint(...cps.slice(t.start, end)),
      character: t.start,
      line: t.line,
      up_front: t.start < FOLD_CHARACTERS && t.line < FOLD_LINES,
      buried: buried[k]!,
    });
  });
  return markers;
}

export interface DisclosureDraft {
  copy: string;
  paid: boolean;
  partner: boolean;
  platformFlag: boolean;
  format: PostFormat;
  mediaDisclosure: MediaDisclosure;
}

/** The engine's CheckDisclosure on a draft: the same ok, field, reason and message the server will store. */
export function checkDisclosure(d: DisclosureDraft): DisclosureCheck {
  const markers = findDisclosureMarkers(d.copy);
  if (!d.paid && !d.partner) return { ok: true, markers };
  const kind = d.paid ? 'a paid post' : 'a partner post';
  const refuse = (field: string, reason: string, message: string): DisclosureCheck => ({ ok: false, markers, field, reason, message });
  if (!markers.some((m) => m.up_front && !m.buried)) {
    const satisfies =
      `put "#ad", "#sponsored", "Advertisement", "Sponsored" or "Paid partnership" in the first ${FOLD_CHARACTERS} characters and ` +
      `${FOLD_LINES} lines of the copy, not inside a cluster of ${CLUSTER_SIZE} or more hashtags`;
    const upFront = markers.find((m) => m.up_front);
    if (upFront) return refuse('copy', 'disclosure_buried', `${kind} hides its disclosure ("${upFront.text}") inside a cluster of hashtags: ${satisfies}`);
    if (markers.length > 0) {
      const first = markers[0]!;
      return refuse('copy', 'disclosure_not_up_front', `${kind} discloses only after what a feed shows before "more" ("${first.text}" at character ${first.character + 1}): ${satisfies}`);
    }
    let message = `${kind} must disclose the connection`;
    const weak: string[] = [];
    for (const t of tokenize(Array.from(d.copy, (c) => c.codePointAt(0)!))) {
      const seen = (t.hashtag ? '#' : '') + lowerAscii(t.word);
      if (['#sp', '#partner', 'thanks', 'thank'].includes(seen) && !weak.includes(seen)) weak.push(seen);
    }
    for (const w of weak) message += `; "${w}" is not a clear disclosure`;
    if (d.platformFlag) message += "; the platform's paid-partnership label is on, but it is not enough alone";
    return refuse('copy', 'missing_disclosure', `${message}: ${satisfies}`);
  }
  if (d.format !== 'text') {
    const live = d.format === 'live';
    const enough = live ? d.mediaDisclosure === 'repeated' : d.mediaDisclosure !== 'none';
    if (!enough) {
      const how = live
        ? 'repeat it periodically through the stream ("repeated")'
        : d.format === 'audio'
          ? 'say it in the audio ("shown")'
          : `superimpose it on the ${d.format} ("shown")`;
      return refuse('media_disclosure', 'media_disclosure_missing', `${kind} in ${d.format} must disclose in the media too: ${how}`);
    }
  }
  return { ok: true, markers };
}

// ---- links: the editor's UTM fields from the taxonomy ----

export interface UtmFieldSpec {
  parameter: string;
  required: boolean;
  /** The controlled list (or, for utm_campaign, every name the naming rule allows when it has lists only); empty: free text. */
  options: string[];
  /** The value the server fills in when left empty, or null. */
  derived: string | null;
}

/** Every campaign name the naming rule allows when each segment is a list; null when a segment is free (date, slug…) or there are over `limit`. */
export function campaignNames(naming: UtmTaxonomyDocument['campaign_naming'], limit = 50): string[] | null {
  if (!naming || naming.segments.length === 0) return null;
  let names = [''];
  for (const [i, seg] of naming.segments.entries()) {
    if (!seg.values || seg.values.length === 0) return null;
    names = names.flatMap((n) => seg.values!.map((v) => (i === 0 ? v : n + naming.separator + v)));
    if (names.length > limit) return null;
  }
  return names;
}

/**
 * What the server derives for a link left without that parameter (publishing_api.cc LinkFields):
 * utm_source from the post's platform and utm_medium from paid or not, when the taxonomy's list
 * allows the value; a required parameter whose list has exactly one value takes it.
 */
export function derivedValue(t: UtmTaxonomyDocument, parameter: string, platform: string, paid: boolean): string | null {
  const list = t.values?.[parameter] ?? [];
  const allowed = (v: string) => v !== '' && (list.length === 0 || list.includes(v));
  if (parameter === 'utm_source' && allowed(lowerAscii(platform))) return lowerAscii(platform);
  if (parameter === 'utm_medium' && allowed(paid ? 'paid_social' : 'social')) return paid ? 'paid_social' : 'social';
  if (isRequired(t, parameter) && list.length === 1) return list[0]!;
  return null;
}

function isRequired(t: UtmTaxonomyDocument, parameter: string): boolean {
  return ['utm_source', 'utm_medium', 'utm_campaign'].includes(parameter) || (t.required ?? []).includes(parameter);
}

/**
 * The fields a tagged link's form offers, in URL order: every required parameter, those with a
 * controlled list, and utm_content / utm_term (the ones writers set per post).
 */
export function utmFields(t: UtmTaxonomyDocument, platform: string, paid: boolean): UtmFieldSpec[] {
  const out: UtmFieldSpec[] = [];
  for (const parameter of UTM_PARAMETERS) {
    const list = t.values?.[parameter] ?? [];
    const required = isRequired(t, parameter);
    if (!required && list.length === 0 && parameter !== 'utm_content' && parameter !== 'utm_term') continue;
    const options = parameter === 'utm_campaign' && list.length === 0 ? campaignNames(t.campaign_naming) ?? [] : list;
    out.push({ parameter, required, options, derived: derivedValue(t, parameter, platform, paid) });
  }
  return out;
}

// ---- the editor's draft and the PUT body ----

export interface LinkDraft {
  url: string;
  /** Keep the link as written: the server stores its findings instead of tagging it. */
  keepAsWritten: boolean;
  utm: Record<string, string>;
}

export interface ContentDraft extends DisclosureDraft {
  assetIds: string[];
  links: LinkDraft[];
}

export function emptyDraft(): ContentDraft {
  return { copy: '', paid: false, partner: false, platformFlag: false, format: 'text', mediaDisclosure: 'none', assetIds: [], links: [] };
}

/** The editor starts from the latest version: the next one changes what it must. */
export function draftFrom(c: PostContent): ContentDraft {
  return {
    copy: c.copy,
    paid: c.paid,
    partner: c.partner,
    platformFlag: c.platform_flag,
    format: c.format,
    mediaDisclosure: c.media_disclosure,
    assetIds: [...c.asset_ids],
    links: c.links.map((l) =>
      l.mode === 'validated'
        ? { url: l.url, keepAsWritten: true, utm: {} }
        : { url: l.url, keepAsWritten: false, utm: Object.fromEntries(l.utm.filter((u) => !u.derived).map((u) => [u.parameter, u.typed])) },
    ),
  };
}

/** The PUT body: values left empty are not sent (the server derives or refuses them), links without a URL are dropped. */
export function contentBody(d: ContentDraft, version: number): PostContentBody {
  const links: ContentLinkInput[] = d.links
    .filter((l) => l.url.trim() !== '')
    .map((l) => {
      if (l.keepAsWritten) return { url: l.url.trim(), validate_only: true as const };
      const utm = Object.fromEntries(Object.entries(l.utm).filter(([, v]) => v.trim() !== ''));
      return Object.keys(utm).length ? { url: l.url.trim(), utm } : { url: l.url.trim() };
    });
  return {
    copy: d.copy,
    format: d.format,
    paid: d.paid,
    partner: d.partner,
    platform_flag: d.platformFlag,
    media_disclosure: d.mediaDisclosure,
    asset_ids: d.assetIds,
    links,
    version,
  };
}

/** Where a server error belongs: "links[1].utm.utm_source" → link 1, parameter utm_source; "copy" → the copy field. */
export function contentErrorTarget(field: string | null | undefined): { field: string; link?: number; parameter?: string } | null {
  if (!field) return null;
  const m = /^links\[(\d+)\](?:\.(url|utm)(?:\.(utm_[a-z_]+))?)?/.exec(field);
  if (m) {
    const link = Number(m[1]);
    if (m[3]) return { field: 'utm', link, parameter: m[3] };
    return { field: m[2] === 'utm' ? 'utm' : 'url', link };
  }
  const root = field.split(/[.[]/)[0]!;
  return { field: root };
}

// ---- refusals ----

/** A stale version on save: someone wrote a newer one since this was read. */
export function isStale(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && (err.code === 'stale' || err.code === 'conflict' || err.field === 'version');
}

export const STALE_MESSAGE = 'Someone saved a newer version of this content: reload to see it, then make your change again.';

/** The freeze's reason in the server's "freeze frz_1 (REASON, since …) stops this post…" message, or null. */
export function frozenReason(message: string): string | null {
  const m = /^freeze \S+ \((.*), since [^)]*\) stops/.exec(message);
  return m ? m[1]! : null;
}

/** The sentence for a refused publication: frozen, not approved, or the server's own message. */
export function publicationRefusal(err: unknown): string {
  if (err instanceof ApiError && err.status === 409 && err.code === 'frozen') {
    return `Publishing is frozen: ${frozenReason(err.message) ?? err.message}`;
  }
  if (err instanceof ApiError && err.status === 409 && err.code === 'not_approved') {
    return /no content yet/.test(err.message)
      ? 'This post has no content yet: write it and have it approved before it goes live.'
      : 'This content version has not been approved yet: put it up for approval before it goes live.';
  }
  return err instanceof Error ? err.message : String(err);
}

/** What is wrong with a live URL before it is sent, or null. */
export function liveUrlProblem(url: string): string | null {
  const u = url.trim();
  if (u === '') return 'Enter the URL where the post is live.';
  if (!/^https?:\/\/[^\s/?#]+/i.test(u) || /\s/.test(u)) return 'Enter the full address, starting with https://';
  return null;
}

/**
 * "2026-11-21T09:30" (a datetime-local value, read in the calendar's zone `tz`) → the instant, as
 * "2026-11-21T08:30:00Z" for Europe/Paris; "" when empty; null when invalid, in the future, or
 * a wall time the zone skips (a spring-forward gap).
 */
export function publishedAtInstant(local: string, now: number, tz: string): string | null | '' {
  if (local.trim() === '') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const check = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Date.UTC rolls "2026-02-30" over into March: a date that does not exist is refused.
  if (check.getUTCMonth() !== Number(m[2]) - 1 || check.getUTCDate() !== Number(m[3])) return null;
  if (Number(m[4]) > 23 || Number(m[5]) > 59) return null;
  const { ms, resolution } = resolveLocal(tz, `${m[1]}-${m[2]}-${m[3]}`, Number(m[4]), Number(m[5]));
  if (resolution === 'gap' || Number.isNaN(ms) || ms > now) return null;
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** The version list's order: newest first. */
export function newestFirst(items: readonly PostContent[]): PostContent[] {
  return [...items].sort((a, b) => b.version - a.version);
}
