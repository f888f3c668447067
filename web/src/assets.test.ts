import { describe, expect, it } from 'vitest';
import { filterQuery, formatBytes, formatDuration, formatMedia, normalizeTags, specOutcome, uploadQuery, uploadRefusal, variantStateText } from './assets.ts';
import { ApiError } from './errors.ts';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    // 2.5 × 1024 × 1024 = 2621440.
    expect(formatBytes(2_621_440)).toBe('2.5 MiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(150 * 1024)).toBe('150 KiB');
  });
});

describe('formatDuration and formatMedia', () => {
  it('reads seconds below a minute and m:ss above', () => {
    expect(formatDuration(15_200)).toBe('15.2 s');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });
  it('gives pixels, then a video duration or an animation frame count', () => {
    expect(formatMedia({ format: 'png', mime_type: 'image/png', width: 1080, height: 1350, frames: 1, animated: false })).toBe('1080 × 1350 px');
    expect(formatMedia({ format: 'mp4', mime_type: 'video/mp4', width: 1920, height: 1080, frames: 0, duration_ms: 15_000 })).toBe('1920 × 1080 px · 15 s');
    expect(formatMedia({ format: 'gif', mime_type: 'image/gif', width: 4, height: 4, frames: 12, animated: true, duration_ms: 1200 })).toBe('4 × 4 px · 1.2 s · 12 frames');
  });
});

describe('specOutcome', () => {
  it('passes with the placement, says none when none was named', () => {
    expect(specOutcome({ spec_check: { placement: 'instagram_feed', violations: [] } })).toEqual({ kind: 'pass', placement: 'instagram_feed' });
    expect(specOutcome({ spec_check: null })).toEqual({ kind: 'none' });
  });
  it('fails with every violation message', () => {
    expect(specOutcome({ spec_check: { placement: 'x', violations: [{ message: 'width 4 px is below' }] } })).toEqual({ kind: 'fail', placement: 'x', violations: ['width 4 px is below'] });
  });
});

describe('variantStateText', () => {
  it('says both states and the master version', () => {
    expect(variantStateText({ master_version: 2, translation: 'in_progress', review: 'pending', stale: false, publishable: false, updated_at: '' })).toBe(
      'Translation in progress · review pending (master v2)',
    );
    expect(variantStateText({ master_version: 1, translation: 'done', review: 'approved', stale: false, publishable: true, updated_at: '' })).toBe('Translated · approved (master v1)');
  });
});

describe('filterQuery and uploadQuery', () => {
  it('leaves out empty filter fields and lower-cases the tag', () => {
    expect(filterQuery({ tag: ' Hero ', platform: '', locale: 'en-GB' })).toEqual({ tag: 'hero', locale: 'en-GB' });
  });
  it('normalises tags to a comma list', () => {
    expect(normalizeTags('Hero, kit  summer,,')).toBe('hero,kit,summer');
  });
  it('sends only the fields given', () => {
    expect(uploadQuery({ name: ' a.png ', platform: 'instagram_feed', locale: '', tags: 'Hero kit', shared: false })).toEqual({
      name: 'a.png', platform: 'instagram_feed', tags: 'hero,kit',
    });
    expect(uploadQuery({ name: 'a.png', platform: '', locale: 'ja-jp', tags: '', shared: true, master: 'ast_1' })).toEqual({
      name: 'a.png', master: 'ast_1', locale: 'ja-jp', shared: 'true',
    });
  });
});

describe('uploadRefusal', () => {
  it('finds the expected name in a naming-template refusal', () => {
    const e = new ApiError(422, 'naming_convention', 'expected name like acme_streamco_instagram_en-gb_20260601_v1.png, got "IMG_0042.png" ({brand} expected at character 1, found "I")', 'name');
    const r = uploadRefusal(e);
    expect(r.field).toBe('name');
    expect(r.expectedName).toBe('acme_streamco_instagram_en-gb_20260601_v1.png');
  });
  it('lists every violation of a spec refusal at the file', () => {
    const e = new ApiError(422, 'spec_violation', 'the file does not meet the x spec (2 violations): width 4 px is below the 500 px minimum of x; aspect ratio 1:1 is not allowed', 'file');
    const r = uploadRefusal(e);
    expect(r.field).toBe('file');
    expect(r.violations).toEqual(['width 4 px is below the 500 px minimum of x', 'aspect ratio 1:1 is not allowed']);
    expect(r.expectedName).toBeNull();
  });
});
