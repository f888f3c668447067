import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import {
  campaignNames,
  checkDisclosure,
  contentBody,
  contentErrorTarget,
  derivedValue,
  disclosureBadge,
  draftFrom,
  emptyDraft,
  findDisclosureMarkers,
  frozenReason,
  isStale,
  liveUrlProblem,
  newestFirst,
  publicationRefusal,
  publishedAtInstant,
  utmFields,
  type ContentDraft,
  type DisclosureDraft,
} from './publishing.ts';
import type { PostContent, UtmTaxonomyDocument } from './types.ts';

const draft = (over: Partial<DisclosureDraft>): DisclosureDraft => ({
  copy: '',
  paid: false,
  partner: true,
  platformFlag: false,
  format: 'text',
  mediaDisclosure: 'none',
  ...over,
});

// The demo's taxonomy (cli/demo_publishing.cc).
const taxonomy: UtmTaxonomyDocument = {
  version: '2026-06',
  required: ['utm_content'],
  values: { utm_source: ['instagram', 'tiktok', 'youtube', 'newsletter', 'streamco'], utm_medium: ['paid_social', 'social', 'email', 'ctv'] },
  campaign_naming: {
    separator: '_',
    segments: [
      { name: 'brand', values: ['acme'] },
      { name: 'campaign', values: ['summer-splash-2026'] },
    ],
  },
};

const content = (over: Partial<PostContent>): PostContent => ({
  activation_id: 'act_1',
  post_id: 'sc-x-us',
  version: 1,
  org_id: 'org_s',
  copy: '#ad Tonight',
  format: 'text',
  paid: true,
  partner: true,
  platform: 'x',
  platform_flag: false,
  media_disclosure: 'none',
  asset_ids: [],
  links: [],
  disclosure: { ok: true, markers: [{ text: '#ad', character: 0, line: 0, up_front: true, buried: false }] },
  taxonomy_version: 1,
  approved: false,
  created_by: 'usr_s',
  created_at: '2026-11-21T09:00:00Z',
  ...over,
});

describe('disclosureBadge', () => {
  it('names the first marker that counts when the check passed', () => {
    expect(
      disclosureBadge({
        ok: true,
        markers: [
          { text: '#sponsored', character: 200, line: 3, up_front: false, buried: false },
          { text: 'Paid partnership', character: 4, line: 0, up_front: true, buried: false },
        ],
      }),
    ).toEqual({ tone: 'success', text: 'Disclosed: Paid partnership' });
  });
  it('shows the engine message in red when the check failed', () => {
    expect(disclosureBadge({ ok: false, markers: [], field: 'copy', reason: 'missing_disclosure', message: 'a paid post must disclose the connection' })).toEqual({
      tone: 'danger',
      text: 'Needs a disclosure: a paid post must disclose the connection',
    });
  });
  it('says no disclosure is needed when the check passed without a marker', () => {
    expect(disclosureBadge({ ok: true, markers: [] })).toEqual({ tone: 'neutral', text: 'No disclosure needed' });
  });
});

describe('findDisclosureMarkers', () => {
  it('finds whole marker hashtags but not longer ones', () => {
    expect(findDisclosureMarkers('#adidas #ad_campaign #ads foo#ad ##ad').map((m) => m.text)).toEqual([]);
    expect(findDisclosureMarkers('Go #AD now').map((m) => [m.text, m.character, m.up_front])).toEqual([['#AD', 3, true]]);
  });
  it('ends a hashtag at an emoji or a dash', () => {
    expect(findDisclosureMarkers('#ad🎉 and #ad—').map((m) => m.text)).toEqual(['#ad', '#ad']);
  });
  it('counts code points, not UTF-16 units, for the character offset', () => {
    // "🎉 " is two code points before the marker (three UTF-16 units).
    expect(findDisclosureMarkers('🎉 #ad')[0]!.character).toBe(2);
  });
  it('skips negated words but keeps the phrase "Paid partnership"', () => {
    expect(findDisclosureMarkers('This is not sponsored').map((m) => m.text)).toEqual([]);
    expect(findDisclosureMarkers("isn't sponsored, non-sponsored").map((m) => m.text)).toEqual([]);
    expect(findDisclosureMarkers('Sponsored by Acme').map((m) => m.text)).toEqual(['Sponsored']);
    expect(findDisclosureMarkers('Paid   partnership with Acme').map((m) => m.text)).toEqual(['Paid   partnership']);
  });
  it('buries every hashtag but the first in a run of three', () => {
    const markers = findDisclosureMarkers('#summer #ad #sale');
    expect(markers).toEqual([{ text: '#ad', character: 8, line: 0, up_front: true, buried: true }]);
    expect(findDisclosureMarkers('#ad #summer #sale')[0]!.buried).toBe(false);
    // Two in a row are not a cluster.
    expect(findDisclosureMarkers('#summer #ad')[0]!.buried).toBe(false);
  });
  it('puts a marker on the third line or past character 125 below the fold', () => {
    expect(findDisclosureMarkers('one\ntwo\n#ad')[0]).toMatchObject({ line: 2, up_front: false });
    expect(findDisclosureMarkers('x'.repeat(124) + ' #ad')[0]).toMatchObject({ character: 125, up_front: false });
    expect(findDisclosureMarkers('x'.repeat(123) + ' #ad')[0]).toMatchObject({ character: 124, up_front: true });
  });
});

describe('checkDisclosure', () => {
  const satisfies =
    'put "#ad", "#sponsored", "Advertisement", "Sponsored" or "Paid partnership" in the first 125 characters and 2 lines of the copy, not inside a cluster of 3 or more hashtags';
  it('needs nothing from a post that is neither paid nor partner', () => {
    expect(checkDisclosure(draft({ partner: false, copy: 'Hello' }))).toEqual({ ok: true, markers: [] });
  });
  it('refuses a paid post without a marker, naming the weak words and the platform label', () => {
    expect(checkDisclosure(draft({ paid: true, copy: 'Thanks Acme! #sp', platformFlag: true }))).toEqual({
      ok: false,
      markers: [],
      field: 'copy',
      reason: 'missing_disclosure',
      message: `a paid post must disclose the connection; "thanks" is not a clear disclosure; "#sp" is not a clear disclosure; the platform's paid-partnership label is on, but it is not enough alone: ${satisfies}`,
    });
  });
  it('says where a late marker is, counting from 1', () => {
    const r = checkDisclosure(draft({ copy: 'a\nb\n#ad' }));
    expect(r.reason).toBe('disclosure_not_up_front');
    expect(r.message).toBe(`a partner post discloses only after what a feed shows before "more" ("#ad" at character 5): ${satisfies}`);
  });
  it('refuses a buried marker', () => {
    const r = checkDisclosure(draft({ copy: '#summer #ad #sale' }));
    expect([r.field, r.reason, r.message]).toEqual(['copy', 'disclosure_buried', `a partner post hides its disclosure ("#ad") inside a cluster of hashtags: ${satisfies}`]);
  });
  it('asks visual formats for the disclosure in the media and live streams for it repeated', () => {
    expect(checkDisclosure(draft({ copy: '#ad', format: 'video' }))).toMatchObject({
      ok: false,
      field: 'media_disclosure',
      reason: 'media_disclosure_missing',
      message: 'a partner post in video must disclose in the media too: superimpose it on the video ("shown")',
    });
    expect(checkDisclosure(draft({ copy: '#ad', format: 'video', mediaDisclosure: 'shown' })).ok).toBe(true);
    expect(checkDisclosure(draft({ copy: '#ad', format: 'live', mediaDisclosure: 'shown' })).message).toBe(
      'a partner post in live must disclose in the media too: repeat it periodically through the stream ("repeated")',
    );
    expect(checkDisclosure(draft({ copy: '#ad', format: 'audio', paid: true })).message).toBe('a paid post in audio must disclose in the media too: say it in the audio ("shown")');
  });
});

describe('UTM fields', () => {
  it('lists every campaign name a rule of lists allows, and none when a segment is free', () => {
    expect(campaignNames(taxonomy.campaign_naming)).toEqual(['acme_summer-splash-2026']);
    expect(
      campaignNames({
        separator: '-',
        segments: [
          { name: 'brand', values: ['acme'] },
          { name: 'partner', values: ['nova', 'sc'] },
        ],
      }),
    ).toEqual(['acme-nova', 'acme-sc']);
    expect(campaignNames({ separator: '_', segments: [{ name: 'brand', values: ['acme'] }, { name: 'launch', kind: 'date' }] })).toBeNull();
    expect(campaignNames({ separator: '_', segments: [{ name: 'a', values: ['1', '2', '3'] }, { name: 'b', values: ['1', '2'] }] }, 5)).toBeNull();
  });
  it('derives source from the platform and medium from paid, only where the list allows', () => {
    expect(derivedValue(taxonomy, 'utm_source', 'YouTube', false)).toBe('youtube');
    expect(derivedValue(taxonomy, 'utm_source', 'x', false)).toBeNull();
    expect(derivedValue(taxonomy, 'utm_medium', 'x', true)).toBe('paid_social');
    expect(derivedValue(taxonomy, 'utm_medium', 'x', false)).toBe('social');
    expect(derivedValue({ version: 'v', required: ['utm_id'], values: { utm_id: ['ss26'] } }, 'utm_id', 'x', false)).toBe('ss26');
    expect(derivedValue(taxonomy, 'utm_content', 'x', false)).toBeNull();
  });
  it('offers the required parameters, the listed ones and content and term, in URL order', () => {
    expect(utmFields(taxonomy, 'youtube', true)).toEqual([
      { parameter: 'utm_source', required: true, options: taxonomy.values!.utm_source, derived: 'youtube' },
      { parameter: 'utm_medium', required: true, options: taxonomy.values!.utm_medium, derived: 'paid_social' },
      { parameter: 'utm_campaign', required: true, options: ['acme_summer-splash-2026'], derived: null },
      { parameter: 'utm_term', required: false, options: [], derived: null },
      { parameter: 'utm_content', required: true, options: [], derived: null },
    ]);
  });
});

describe('content body', () => {
  it('sends typed values only, drops empty links and keeps validate-only links as written', () => {
    const d: ContentDraft = {
      ...emptyDraft(),
      copy: '#ad Live tonight',
      paid: true,
      links: [
        { url: ' https://streamco.example/live ', keepAsWritten: false, utm: { utm_campaign: 'acme_summer-splash-2026', utm_content: '', utm_term: ' ' } },
        { url: '', keepAsWritten: false, utm: { utm_content: 'x' } },
        { url: 'https://agency.example/?utm_source=X', keepAsWritten: true, utm: { utm_content: 'ignored' } },
        { url: 'https://streamco.example/', keepAsWritten: false, utm: {} },
      ],
    };
    expect(contentBody(d, 3)).toEqual({
      copy: '#ad Live tonight',
      format: 'text',
      paid: true,
      partner: false,
      platform_flag: false,
      media_disclosure: 'none',
      asset_ids: [],
      links: [
        { url: 'https://streamco.example/live', utm: { utm_campaign: 'acme_summer-splash-2026' } },
        { url: 'https://agency.example/?utm_source=X', validate_only: true },
        { url: 'https://streamco.example/' },
      ],
      version: 3,
    });
  });
  it('starts the next version from the latest, without the derived values', () => {
    const d = draftFrom(
      content({
        links: [
          {
            url: 'https://s.example/',
            mode: 'tagged',
            tagged_url: 'https://s.example/?utm_source=youtube&utm_content=hero',
            channel: 'Organic Social',
            utm: [
              { parameter: 'utm_source', typed: 'youtube', value: 'youtube', derived: true },
              { parameter: 'utm_content', typed: 'Hero', value: 'hero', derived: false },
            ],
          },
          { url: 'https://a.example/', mode: 'validated', compliant: false, violations: [] },
        ],
      }),
    );
    expect(d.links).toEqual([
      { url: 'https://s.example/', keepAsWritten: false, utm: { utm_content: 'Hero' } },
      { url: 'https://a.example/', keepAsWritten: true, utm: {} },
    ]);
    expect([d.copy, d.paid, d.partner]).toEqual(['#ad Tonight', true, true]);
  });
});

describe('contentErrorTarget', () => {
  it('places link errors at the link and parameter, others at their field', () => {
    expect(contentErrorTarget('links[1].utm.utm_source')).toEqual({ field: 'utm', link: 1, parameter: 'utm_source' });
    expect(contentErrorTarget('links[0].url')).toEqual({ field: 'url', link: 0 });
    expect(contentErrorTarget('links[2]')).toEqual({ field: 'url', link: 2 });
    expect(contentErrorTarget('asset_ids[0]')).toEqual({ field: 'asset_ids' });
    expect(contentErrorTarget('copy')).toEqual({ field: 'copy' });
    expect(contentErrorTarget('')).toBeNull();
  });
});

describe('refusals', () => {
  it('recognises a stale version', () => {
    expect(isStale(new ApiError(409, 'conflict', "the post's content was changed by someone else", 'version'))).toBe(true);
    expect(isStale(new ApiError(409, 'frozen', 'freeze …'))).toBe(false);
  });
  it('explains a frozen publication with the freeze reason', () => {
    const err = new ApiError(409, 'frozen', 'freeze frz_9 (talent dispute, pending statement, since 2026-11-21T09:00:00Z) stops this post until it is lifted');
    expect(frozenReason(err.message)).toBe('talent dispute, pending statement');
    expect(publicationRefusal(err)).toBe('Publishing is frozen: talent dispute, pending statement');
  });
  it('explains an unapproved version, and a post without content', () => {
    expect(publicationRefusal(new ApiError(409, 'not_approved', 'content version 2 of the post is not approved; …'))).toBe(
      'This content version has not been approved yet: put it up for approval before it goes live.',
    );
    expect(publicationRefusal(new ApiError(409, 'not_approved', 'the post has no content yet; PUT its content and have it approved'))).toBe(
      'This post has no content yet: write it and have it approved before it goes live.',
    );
  });
  it('passes any other refusal through as the server said it', () => {
    expect(publicationRefusal(new ApiError(403, 'forbidden', 'a publication is recorded by the post’s own organisation'))).toBe('a publication is recorded by the post’s own organisation');
  });
});

describe('publication form', () => {
  it('wants a full http(s) address for the live URL', () => {
    expect(liveUrlProblem('')).toBe('Enter the URL where the post is live.');
    expect(liveUrlProblem('instagram.com/p/1')).toBe('Enter the full address, starting with https://');
    expect(liveUrlProblem('https://x.com/a b')).toBe('Enter the full address, starting with https://');
    expect(liveUrlProblem(' https://instagram.com/p/1 ')).toBeNull();
  });
  it('reads published-at in the calendar zone and refuses future, skipped or impossible times', () => {
    const now = Date.UTC(2026, 10, 21, 10, 0);
    expect(publishedAtInstant('2026-11-21T09:30', now, 'UTC')).toBe('2026-11-21T09:30:00Z');
    // Paris is UTC+1 in November, Tokyo UTC+9: the same wall time is an earlier instant.
    expect(publishedAtInstant('2026-11-21T09:30', now, 'Europe/Paris')).toBe('2026-11-21T08:30:00Z');
    expect(publishedAtInstant('2026-11-21T09:30', now, 'Asia/Tokyo')).toBe('2026-11-21T00:30:00Z');
    // New York at 10:30 is 15:30 UTC: later than now.
    expect(publishedAtInstant('2026-11-21T10:30', now, 'America/New_York')).toBeNull();
    // 02:30 on 29 March 2026 never happens in Paris (clocks go from 02:00 to 03:00).
    expect(publishedAtInstant('2026-03-29T02:30', now, 'Europe/Paris')).toBeNull();
    expect(publishedAtInstant('', now, 'UTC')).toBe('');
    expect(publishedAtInstant('2026-11-21T10:01', now, 'UTC')).toBeNull();
    expect(publishedAtInstant('2026-02-30T10:00', now, 'UTC')).toBeNull();
    expect(publishedAtInstant('2026-11-20T24:00', now, 'UTC')).toBeNull();
    expect(publishedAtInstant('yesterday', now, 'UTC')).toBeNull();
  });
});

describe('newestFirst', () => {
  it('orders versions newest first without changing the input', () => {
    const items = [content({ version: 1 }), content({ version: 3 }), content({ version: 2 })];
    expect(newestFirst(items).map((c) => c.version)).toEqual([3, 2, 1]);
    expect(items.map((c) => c.version)).toEqual([1, 3, 2]);
  });
});
