// The selected milestone: its computed dates, and for brief editors a form that changes its
// duration, buffer, owner, dependencies and actual dates. Saving PUTs the whole plan with the
// version it was read at; the engine's 422 message is shown next to the field it names.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError, fieldErrorText } from '../errors.ts';
import {
  afterId,
  afterLag,
  dependents,
  describeDuration,
  formatSlack,
  makeAfter,
  milestoneErrorField,
  milestoneState,
  parseDuration,
  removeMilestone,
  updateMilestone,
} from '../plan.ts';
import { formatDateTimeIn, instantFromLocal, isoSeconds, parseTimeOfDay, toLocalInputs } from '../tz.ts';
import type { MilestonesResponse, PlanDocument, PlanMilestone, ScheduledMilestone } from '../types.ts';
import { FieldError } from './ui.tsx';

interface Props {
  activationId: string;
  plan: PlanDocument;
  version: number;
  pm: PlanMilestone;
  sm: ScheduledMilestone | undefined;
  critical: boolean;
  tz: string;
  zoneLabel: string;
  now: number;
  editable: boolean;
  /** A duration set by dragging the bar (or the keyboard on its handle), not saved yet. */
  draftDuration: string | null;
  onDurationInput: (duration: string) => void;
  onSaved: (r: MilestonesResponse, message: string) => void;
  onConflict: () => void;
  onClose: () => void;
}

interface Form {
  duration: string;
  buffer: string;
  owner: string;
  after: Record<string, { on: boolean; lag: string }>;
  actual_start: string;
  actual_finish: string;
}

function toInput(iso: string | undefined, tz: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const { date, time } = toLocalInputs(ms, tz);
  return `${date}T${time.slice(0, 5)}`;
}

/** "2027-01-05T09:00" in `tz` → an API instant; "" stays ""; null when malformed. */
function fromInput(value: string, tz: string): string | null {
  if (value.trim() === '') return '';
  const [date, time] = value.split('T');
  const hms = parseTimeOfDay(time ?? '');
  if (!date || !hms || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  return isoSeconds(instantFromLocal(tz, date, hms[0], hms[1], hms[2]));
}

function initialForm(plan: PlanDocument, pm: PlanMilestone, tz: string): Form {
  const after: Form['after'] = {};
  for (const m of plan.milestones) if (m.id !== pm.id) after[m.id] = { on: false, lag: '' };
  for (const e of pm.after ?? []) after[afterId(e)] = { on: true, lag: afterLag(e) };
  return {
    duration: pm.duration,
    buffer: pm.buffer ?? '',
    owner: pm.owner ?? '',
    after,
    actual_start: toInput(pm.actual_start, tz),
    actual_finish: toInput(pm.actual_finish, tz),
  };
}

export function MilestonePanel(props: Props) {
  const { plan, pm, sm, critical, tz, zoneLabel, now, editable, draftDuration } = props;
  const [form, setForm] = useState<Form>(() => initialForm(plan, pm, tz));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const panelRef = useRef<HTMLElement>(null);

  // On a narrow screen the panel sits below the chart: bring it into view when it opens.
  useEffect(() => {
    const el = panelRef.current;
    if (el && typeof el.scrollIntoView === 'function' && el.getBoundingClientRect().top > window.innerHeight) {
      el.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }, []);

  // A new milestone, a new plan version or another zone: start from what is stored.
  useEffect(() => {
    setForm(initialForm(plan, pm, tz));
    setErrors({});
    setFormError(null);
  }, [pm.id, plan, tz]);

  useEffect(() => {
    if (draftDuration !== null) setForm((f) => ({ ...f, duration: draftDuration }));
  }, [draftDuration]);

  const index = plan.milestones.findIndex((m) => m.id === pm.id);
  const waiting = useMemo(() => dependents(plan, pm.id), [plan, pm.id]);
  const owners = useMemo(
    () => [...new Set([...Object.keys(plan.calendars ?? {}), ...plan.milestones.map((m) => m.owner ?? '')].filter(Boolean))].sort(),
    [plan],
  );
  const state = sm ? milestoneState(pm, sm, now) : pm.actual_finish ? 'done' : 'planned';
  const slack = sm ? formatSlack(sm.slack_seconds) : null;
  const dirty = JSON.stringify(form) !== JSON.stringify(initialForm(plan, pm, tz));

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => {
      const { [k]: _gone, ...rest } = e;
      return rest;
    });
  };

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!parseDuration(form.duration.trim())) e.duration = 'Enter a whole number and a unit: 3d, 36h, 90m, 2w or 5wd.';
    if (form.buffer.trim() && !parseDuration(form.buffer.trim())) e.buffer = 'Enter a duration such as 1d or 4h, or leave empty.';
    for (const [id, a] of Object.entries(form.after)) {
      if (a.on && a.lag.trim() && !parseDuration(a.lag.trim())) e.after = `The lag after ${id} is not a duration (such as 4h or 1wd).`;
    }
    if (fromInput(form.actual_start, tz) === null) e.actual_start = 'Enter a date and time.';
    if (fromInput(form.actual_finish, tz) === null) e.actual_finish = 'Enter a date and time.';
    return e;
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const v = validate();
    setErrors(v);
    setFormError(null);
    if (Object.keys(v).length) return;
    const next = updateMilestone(plan, pm.id, {
      duration: form.duration.trim(),
      buffer: form.buffer,
      owner: form.owner,
      after: makeAfter(
        plan.milestones.filter((m) => form.after[m.id]?.on).map((m) => ({ id: m.id, lag: form.after[m.id]!.lag.trim() })),
      ),
      actual_start: fromInput(form.actual_start, tz) ?? '',
      actual_finish: fromInput(form.actual_finish, tz) ?? '',
    });
    await submit(next, `${pm.id} was saved and the plan recomputed.`);
  };

  const submit = async (next: PlanDocument, message: string) => {
    setBusy(true);
    try {
      const r = await api.putMilestones(props.activationId, next, props.version);
      props.onSaved(r, message);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        props.onConflict();
      } else if (err instanceof ApiError && err.status === 422) {
        const key = milestoneErrorField(err.field, index);
        const shown = key && key !== 'milestone' && key in form ? key : null;
        if (shown) setErrors({ [shown]: fieldErrorText(err.field, err.message) });
        else setFormError(err.field ? `${err.field}: ${err.message}` : err.message);
      } else {
        setFormError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(`Remove ${pm.id} from the plan? Milestones that wait for it no longer will.`)) return;
    await submit(removeMilestone(plan, pm.id), `${pm.id} was removed from the plan.`);
  };

  const errId = (k: string) => (errors[k] ? `err-${k}` : undefined);

  return (
    <section class="card milestone-panel" aria-labelledby="milestone-title" data-testid="milestone-panel" ref={panelRef}>
      <header class="card-header">
        <h2 id="milestone-title">
          <span class="mono">{pm.id}</span>
        </h2>
        <button type="button" class="btn btn-icon btn-close" aria-label="Close milestone details" onClick={props.onClose}>
          ×
        </button>
      </header>
      <div class="card-body">
        <div class="pill-row">
          {critical && <span class="pill pill-critical">Critical path</span>}
          {state === 'done' && <span class="pill pill-done">✓ Done</span>}
          {state === 'overdue' && <span class="pill pill-late">Overdue</span>}
          {state === 'in_progress' && <span class="pill pill-info">In progress</span>}
          {slack && <span class={`pill ${slack.late ? 'pill-late' : 'pill-neutral'}`}>{slack.text}</span>}
        </div>
        {sm && (
          <dl class="facts compact-facts">
            <div>
              <dt>Earliest start</dt>
              <dd>{formatDateTimeIn(Date.parse(sm.earliest_start), tz)}</dd>
            </div>
            <div>
              <dt>Earliest finish</dt>
              <dd>{formatDateTimeIn(Date.parse(sm.earliest_finish), tz)}</dd>
            </div>
            <div>
              <dt>Latest start</dt>
              <dd>{formatDateTimeIn(Date.parse(sm.latest_start), tz)}</dd>
            </div>
            <div>
              <dt>Must finish by</dt>
              <dd class="strong">{formatDateTimeIn(Date.parse(sm.latest_finish), tz)}</dd>
            </div>
          </dl>
        )}
        {!editable && (
          <dl class="facts compact-facts">
            <div>
              <dt>Duration</dt>
              <dd>{describeDuration(pm.duration)}</dd>
            </div>
            <div>
              <dt>Buffer</dt>
              <dd>{pm.buffer ? describeDuration(pm.buffer) : '—'}</dd>
            </div>
            <div>
              <dt>Owner</dt>
              <dd>{pm.owner ?? '—'}</dd>
            </div>
            <div>
              <dt>After</dt>
              <dd>{pm.after?.length ? pm.after.map((e) => (afterLag(e) ? `${afterId(e)} + ${afterLag(e)}` : afterId(e))).join(', ') : '—'}</dd>
            </div>
            {pm.market && (
              <div>
                <dt>Held to</dt>
                <dd>{pm.market} launch</dd>
              </div>
            )}
          </dl>
        )}

        {editable && (
          <form class="milestone-form" onSubmit={save} noValidate data-testid="milestone-form">
            <p class="subhead">Replan</p>
            {formError && (
              <div class="alert alert-error" role="alert" data-testid="form-error">
                {formError}
              </div>
            )}
            <div class="form-grid two">
              <div class="field" data-field="duration">
                <label class="label" for="ms-duration">
                  Duration
                </label>
                <input
                  id="ms-duration"
                  name="duration"
                  value={form.duration}
                  aria-invalid={errors.duration ? 'true' : undefined}
                  aria-describedby={errId('duration') ?? 'ms-duration-hint'}
                  onInput={(e) => {
                    const v = (e.target as HTMLInputElement).value;
                    set('duration', v);
                    props.onDurationInput(v);
                  }}
                  autoComplete="off"
                  spellcheck={false}
                />
                <span class="hint small" id="ms-duration-hint">
                  {parseDuration(form.duration) ? describeDuration(form.duration) : '3d, 36h, 90m, 2w or 5wd'}
                </span>
                <FieldError field="duration" message={errors.duration} />
              </div>
              <div class="field" data-field="buffer">
                <label class="label" for="ms-buffer">
                  Buffer <span class="muted">(optional)</span>
                </label>
                <input
                  id="ms-buffer"
                  name="buffer"
                  value={form.buffer}
                  placeholder="none"
                  aria-invalid={errors.buffer ? 'true' : undefined}
                  aria-describedby={errId('buffer')}
                  onInput={(e) => set('buffer', (e.target as HTMLInputElement).value)}
                  autoComplete="off"
                  spellcheck={false}
                />
                <FieldError field="buffer" message={errors.buffer} />
              </div>
            </div>
            <div class="field" data-field="owner">
              <label class="label" for="ms-owner">
                Owner
              </label>
              <input
                id="ms-owner"
                name="owner"
                value={form.owner}
                list="ms-owners"
                aria-invalid={errors.owner ? 'true' : undefined}
                aria-describedby={errId('owner') ?? 'ms-owner-hint'}
                onInput={(e) => set('owner', (e.target as HTMLInputElement).value)}
                autoComplete="off"
              />
              <datalist id="ms-owners">
                {owners.map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
              <span class="hint small" id="ms-owner-hint">
                Working days count on the owner's calendar.
              </span>
              <FieldError field="owner" message={errors.owner} />
            </div>
            <fieldset class={`fieldset${errors.after ? ' has-error' : ''}`} data-field="after" aria-describedby={errId('after')}>
              <legend>Starts after</legend>
              {plan.milestones.length <= 1 && <p class="muted small">No other milestones.</p>}
              <ul class="after-list">
                {plan.milestones
                  .filter((m) => m.id !== pm.id)
                  .map((m) => {
                    const a = form.after[m.id] ?? { on: false, lag: '' };
                    const cycle = waiting.has(m.id);
                    return (
                      <li key={m.id}>
                        <label class={`check${cycle ? ' disabled' : ''}`} title={cycle ? `${m.id} waits for ${pm.id}: a dependency would be a cycle` : undefined}>
                          <input
                            type="checkbox"
                            checked={a.on}
                            disabled={cycle}
                            onChange={(e) => set('after', { ...form.after, [m.id]: { ...a, on: (e.target as HTMLInputElement).checked } })}
                          />
                          <span class="mono">{m.id}</span>
                        </label>
                        {a.on && (
                          <input
                            class="lag-input"
                            value={a.lag}
                            placeholder="lag"
                            aria-label={`Lag after ${m.id}`}
                            onInput={(e) => set('after', { ...form.after, [m.id]: { ...a, lag: (e.target as HTMLInputElement).value } })}
                            spellcheck={false}
                          />
                        )}
                      </li>
                    );
                  })}
              </ul>
              <FieldError field="after" message={errors.after} />
            </fieldset>
            <div class="form-grid">
              <div class="field span-all" data-field="actual_start">
                <label class="label" for="ms-actual-start">
                  Actual start
                </label>
                <input
                  id="ms-actual-start"
                  type="datetime-local"
                  name="actual_start"
                  value={form.actual_start}
                  aria-invalid={errors.actual_start ? 'true' : undefined}
                  aria-describedby={errId('actual_start') ?? 'ms-zone-hint'}
                  onInput={(e) => set('actual_start', (e.target as HTMLInputElement).value)}
                />
                <FieldError field="actual_start" message={errors.actual_start} />
              </div>
              <div class="field span-all" data-field="actual_finish">
                <label class="label" for="ms-actual-finish">
                  Actual finish
                </label>
                <input
                  id="ms-actual-finish"
                  type="datetime-local"
                  name="actual_finish"
                  value={form.actual_finish}
                  aria-invalid={errors.actual_finish ? 'true' : undefined}
                  aria-describedby={errId('actual_finish') ?? 'ms-zone-hint'}
                  onInput={(e) => set('actual_finish', (e.target as HTMLInputElement).value)}
                />
                <FieldError field="actual_finish" message={errors.actual_finish} />
              </div>
            </div>
            <p class="hint small" id="ms-zone-hint">
              Dates and times in {zoneLabel}. Leave empty while not started or not finished.
            </p>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy || !dirty}>
                {busy ? 'Saving…' : 'Save'}
              </button>
              <button
                type="button"
                class="btn"
                disabled={busy || !dirty}
                onClick={() => {
                  setForm(initialForm(plan, pm, tz));
                  setErrors({});
                  setFormError(null);
                  props.onDurationInput(pm.duration);
                }}
              >
                Reset
              </button>
              <span class="grow" />
              <button type="button" class="btn btn-ghost btn-danger" disabled={busy} onClick={remove} title={`Remove ${pm.id} from the plan`}>
                Remove
              </button>
            </div>
          </form>
        )}
      </div>
    </section>
  );
}
