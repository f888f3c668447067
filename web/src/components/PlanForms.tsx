// Creating a first plan (a launch and one milestone) and adding a milestone to a plan. Both PUT
// the whole plan document with the version it was read at.

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError, fieldErrorText } from '../errors.ts';
import { addMilestone, describeDuration, newPlanDocument, parseDuration, validMilestoneId } from '../plan.ts';
import { instantFromLocal, isoSeconds, parseTimeOfDay } from '../tz.ts';
import type { Market, MilestonesResponse, PlanDocument, PlanMilestone } from '../types.ts';
import { FieldError } from './ui.tsx';

type Errors = Record<string, string>;

function serverError(err: unknown, map: (field: string) => string | null): { field: string | null; message: string } {
  if (err instanceof ApiError) {
    const key = err.field ? map(err.field) : null;
    return { field: key, message: key ? fieldErrorText(err.field, err.message) : err.message };
  }
  return { field: null, message: err instanceof Error ? err.message : String(err) };
}

export function CreatePlanForm({
  activationId,
  markets,
  version,
  onSaved,
  onConflict,
}: {
  activationId: string;
  markets: Market[];
  version: number;
  onSaved: (r: MilestonesResponse) => void;
  onConflict: () => void;
}) {
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(markets.map((m) => m.name)));
  const [id, setId] = useState('brief_signoff');
  const [duration, setDuration] = useState('3d');
  const [owner, setOwner] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const v: Errors = {};
    const hms = parseTimeOfDay(time);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) v.launch = 'Choose the launch date.';
    else if (!hms) v.launch = 'Enter the launch time as HH:MM.';
    if (markets.length > 0 && chosen.size === 0) v.markets = 'Choose at least one market.';
    if (!validMilestoneId(id.trim())) v.id = 'Enter an id of 1 to 64 characters, such as brief_signoff.';
    if (!parseDuration(duration.trim())) v.duration = 'Enter a whole number and a unit: 3d, 36h or 5wd.';
    setErrors(v);
    setFormError(null);
    if (Object.keys(v).length) return;
    const first: PlanMilestone = { id: id.trim(), duration: duration.trim(), ...(owner.trim() ? { owner: owner.trim() } : {}) };
    const local = `${date}T${time.length === 5 ? time : time.slice(0, 5)}`;
    const plan: PlanDocument =
      markets.length > 0
        ? newPlanDocument(local, markets.filter((m) => chosen.has(m.name)), first)
        : { launch: { at: isoSeconds(instantFromLocal('UTC', date, hms![0], hms![1])) }, milestones: [first] };
    setBusy(true);
    try {
      onSaved(await api.putMilestones(activationId, plan, version));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return onConflict();
      const s = serverError(err, (f) => (f.startsWith('launch') ? 'launch' : f.startsWith('milestones[0].duration') ? 'duration' : f.startsWith('milestones[0].id') ? 'id' : null));
      if (s.field) setErrors({ [s.field]: s.message });
      else setFormError(s.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card create-plan" onSubmit={submit} noValidate data-testid="create-plan-form" aria-labelledby="create-plan-title">
      <header class="card-header">
        <h2 id="create-plan-title">Start a plan</h2>
      </header>
      <div class="card-body">
        {formError && (
          <div class="alert alert-error" role="alert">
            {formError}
          </div>
        )}
        <div class="form-grid">
          <div class="field span-2" data-field="launch">
            <label class="label" for="cp-date">
              Launch date
            </label>
            <div class="row-edit">
              <input id="cp-date" type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} aria-invalid={errors.launch ? 'true' : undefined} aria-describedby={errors.launch ? 'err-launch' : 'cp-launch-hint'} />
              <input type="time" aria-label="Launch time (local in each market)" value={time} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
            </div>
            <span class="hint small" id="cp-launch-hint">
              {markets.length ? 'The same wall-clock time in every market.' : 'UTC: the brief has no markets yet.'}
            </span>
            <FieldError field="launch" message={errors.launch} />
          </div>
          {markets.length > 0 && (
            <fieldset class={`fieldset span-2${errors.markets ? ' has-error' : ''}`} data-field="markets">
              <legend>Markets</legend>
              <div class="check-row">
                {markets.map((m) => (
                  <label key={m.name} class="check">
                    <input
                      type="checkbox"
                      checked={chosen.has(m.name)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if ((e.target as HTMLInputElement).checked) next.add(m.name);
                        else next.delete(m.name);
                        setChosen(next);
                      }}
                    />
                    <span>
                      <span class="strong">{m.name}</span> <span class="muted small">{m.tz}</span>
                    </span>
                  </label>
                ))}
              </div>
              <FieldError field="markets" message={errors.markets} />
            </fieldset>
          )}
          <div class="field" data-field="id">
            <label class="label" for="cp-id">
              First milestone
            </label>
            <input id="cp-id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} aria-invalid={errors.id ? 'true' : undefined} spellcheck={false} />
            <FieldError field="id" message={errors.id} />
          </div>
          <div class="field" data-field="duration">
            <label class="label" for="cp-duration">
              Duration
            </label>
            <input id="cp-duration" value={duration} onInput={(e) => setDuration((e.target as HTMLInputElement).value)} aria-invalid={errors.duration ? 'true' : undefined} spellcheck={false} />
            <span class="hint small">{parseDuration(duration) ? describeDuration(duration) : '3d, 36h or 5wd'}</span>
            <FieldError field="duration" message={errors.duration} />
          </div>
          <div class="field span-2">
            <label class="label" for="cp-owner">
              Owner <span class="muted">(optional)</span>
            </label>
            <input id="cp-owner" value={owner} placeholder="olivia@acme.example" onInput={(e) => setOwner((e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create plan'}
          </button>
        </div>
      </div>
    </form>
  );
}

export function AddMilestoneForm({
  activationId,
  plan,
  version,
  onSaved,
  onConflict,
  onCancel,
}: {
  activationId: string;
  plan: PlanDocument;
  version: number;
  onSaved: (r: MilestonesResponse, id: string) => void;
  onConflict: () => void;
  onCancel: () => void;
}) {
  const [id, setId] = useState('');
  const [duration, setDuration] = useState('2d');
  const [owner, setOwner] = useState('');
  const [after, setAfter] = useState(plan.milestones.at(-1)?.id ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const index = plan.milestones.length;

  const submit = async (e: Event) => {
    e.preventDefault();
    const v: Errors = {};
    const newId = id.trim();
    if (!validMilestoneId(newId)) v.id = 'Enter an id of 1 to 64 characters.';
    else if (plan.milestones.some((m) => m.id === newId)) v.id = `There is already a milestone "${newId}".`;
    if (!parseDuration(duration.trim())) v.duration = 'Enter a whole number and a unit: 3d, 36h or 5wd.';
    setErrors(v);
    if (Object.keys(v).length) return;
    const m: PlanMilestone = { id: newId, duration: duration.trim(), ...(after ? { after: [after] } : {}), ...(owner.trim() ? { owner: owner.trim() } : {}) };
    setBusy(true);
    try {
      onSaved(await api.putMilestones(activationId, addMilestone(plan, m), version), newId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return onConflict();
      const prefix = `milestones[${index}].`;
      const s = serverError(err, (f) => (f.startsWith(prefix) ? (f.slice(prefix.length).split(/[.[]/)[0] === 'duration' ? 'duration' : 'id') : null));
      setErrors({ [s.field ?? 'form']: s.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-milestone" onSubmit={submit} noValidate data-testid="add-milestone-form" aria-label="Add a milestone">
      {errors.form && (
        <div class="alert alert-error" role="alert">
          {errors.form}
        </div>
      )}
      <div class="add-milestone-fields">
        <div class="field" data-field="id">
          <label class="label" for="am-id">
            Id
          </label>
          <input id="am-id" value={id} placeholder="press_kit" onInput={(e) => setId((e.target as HTMLInputElement).value)} aria-invalid={errors.id ? 'true' : undefined} spellcheck={false} />
          <FieldError field="id" message={errors.id} />
        </div>
        <div class="field" data-field="duration">
          <label class="label" for="am-duration">
            Duration
          </label>
          <input id="am-duration" value={duration} onInput={(e) => setDuration((e.target as HTMLInputElement).value)} aria-invalid={errors.duration ? 'true' : undefined} spellcheck={false} />
          <FieldError field="duration" message={errors.duration} />
        </div>
        <div class="field">
          <label class="label" for="am-after">
            After
          </label>
          <select id="am-after" value={after} onChange={(e) => setAfter((e.target as HTMLSelectElement).value)}>
            <option value="">Nothing (starts now)</option>
            {plan.milestones.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="label" for="am-owner">
            Owner
          </label>
          <input id="am-owner" value={owner} onInput={(e) => setOwner((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add milestone'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
