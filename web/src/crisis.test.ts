import { describe, expect, it } from 'vitest';
import { channelLabel, dutyLabel, formatDay, revisionNote, rosterInCallOrder, telHref, templateBadge } from './crisis.ts';
import type { CrisisTemplate, IncidentRosterEntry } from './types.ts';

const t = (over: Partial<CrisisTemplate>): CrisisTemplate => ({
  id: 'ctp_1',
  version: 1,
  title: 'Pause statement',
  situation: 'product recall',
  body: 'We have paused…',
  channels: ['instagram'],
  pre_approved: false,
  approved_by: null,
  approved_at: null,
  last_approved_version: null,
  created_by: 'usr_o',
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:00Z',
  ...over,
});
const names = (id: string) => ({ usr_f: 'Felix Hart' })[id] ?? id;
const entry = (duty: string, order: number): IncidentRosterEntry => ({ duty, user_id: `usr_${duty}`, backup_user_id: null, phone: null, order });

describe('templateBadge', () => {
  it('names the approver and the day of a pre-approved template', () => {
    expect(templateBadge(t({ pre_approved: true, approved_by: 'usr_f', approved_at: '2026-11-21T08:32:09Z', last_approved_version: 1 }), names, 'UTC')).toEqual({
      tone: 'success',
      text: 'Pre-approved by Felix Hart, 21 Nov 2026',
    });
  });
  it('dates the approval in the viewer zone, which may be the next day', () => {
    // 23:30 UTC on the 21st is 08:30 on the 22nd in Tokyo.
    expect(templateBadge(t({ pre_approved: true, approved_by: 'usr_f', approved_at: '2026-11-21T23:30:00Z' }), names, 'Asia/Tokyo').text).toBe('Pre-approved by Felix Hart, 22 Nov 2026');
  });
  it('marks a template that is not pre-approved as an amber draft', () => {
    expect(templateBadge(t({}), names, 'UTC')).toEqual({ tone: 'warning', text: 'Draft — not approved' });
  });
  it('treats a revised template as a draft although an earlier version was approved', () => {
    const revised = t({ version: 3, pre_approved: false, last_approved_version: 1 });
    expect(templateBadge(revised, names, 'UTC').tone).toBe('warning');
    expect(revisionNote(revised)).toBe('Version 1 was pre-approved; version 3 is not yet.');
  });
  it('adds no revision note to approved templates or never-approved drafts', () => {
    expect(revisionNote(t({ pre_approved: true, last_approved_version: 1 }))).toBeNull();
    expect(revisionNote(t({}))).toBeNull();
  });
});

describe('formatDay', () => {
  it('keeps a value that is not a date as it is', () => {
    expect(formatDay('soon', 'UTC')).toBe('soon');
    expect(formatDay(null)).toBe('');
  });
});

describe('rosterInCallOrder', () => {
  it('puts lower orders first and keeps the given order between equal ones', () => {
    const got = rosterInCallOrder([entry('legal', 3), entry('lead', 1), entry('social', 2), entry('press', 2)]);
    expect(got.map((e) => e.duty)).toEqual(['lead', 'social', 'press', 'legal']);
  });
  it('does not reorder the array it was given', () => {
    const given = [entry('b', 2), entry('a', 1)];
    rosterInCallOrder(given);
    expect(given.map((e) => e.duty)).toEqual(['b', 'a']);
  });
});

describe('telHref', () => {
  it('keeps only the digits and a leading plus', () => {
    expect(telHref('+1 555 0100')).toBe('tel:+15550100');
    expect(telHref('+44 (20) 7946-0018')).toBe('tel:+442079460018');
    expect(telHref('020.7946.0018')).toBe('tel:02079460018');
  });
  it('gives no link without a number', () => {
    expect(telHref(null)).toBeNull();
    expect(telHref('')).toBeNull();
    expect(telHref('() -')).toBeNull();
  });
});

describe('channelLabel', () => {
  it('spells brands as they spell themselves and capitalises the rest', () => {
    expect(channelLabel('tiktok')).toBe('TikTok');
    expect(channelLabel('x')).toBe('X');
    expect(channelLabel('press')).toBe('Press');
    expect(channelLabel('instagram_stories')).toBe('Instagram stories');
  });
});

describe('dutyLabel', () => {
  it('capitalises the first letter and keeps the rest as typed', () => {
    expect(dutyLabel('incident lead')).toBe('Incident lead');
    expect(dutyLabel('co-host PR')).toBe('Co-host PR');
    expect(dutyLabel('')).toBe('');
  });
});
