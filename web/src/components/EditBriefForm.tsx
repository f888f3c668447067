import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { draftFromActivation, fieldIndex, isBriefField, patchFromDraft, type BriefDraft, type BriefField, type MetricDraft } from '../brief.ts';
import { ApiError, fieldErrorText, fieldRoot } from '../errors.ts';
import { humanize } from '../format.ts';
import { OBJECTIVES, STATUSES, type Activation } from '../types.ts';
import { ErrorBanner, FieldError } from './ui.tsx';

type FieldErrors = Partial<Record<BriefField, string>>;

let zoneList: string[] | null = null;
function timeZones(): string[] {
  if (zoneList) return zoneList;
  try {
    const f = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
    zoneList = f ? f('timeZone') : [];
  } catch {
    zoneList = [];
  }
  return zoneList;
}

export function EditBriefForm({
  activation,
  onSaved,
  onCancel,
}: {
  activation: Activation;
  onSaved: (a: Activation) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<BriefDraft>(() => draftFromActivation(activation));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [badRow, setBadRow] = useState<{ field: BriefField; index: number } | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timeZones, []);

  const set = <K extends keyof BriefDraft>(k: K, v: BriefDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    setConflict(false);
    setBadRow(null);
    const { patch, errors: local } = patchFromDraft(activation, draft);
    setErrors(local);
    if (!patch) {
      setFormError(new Error('Some fields need attention.'));
      return;
    }
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      const next = await api.patchActivation(activation.id, patch);
      onSaved(next);
    } catch (err) {
      if (err instanceof ApiError) {
        const root = fieldRoot(err.field);
        if (err.status === 409) {
          setConflict(true);
        } else if (root && isBriefField(root)) {
          setErrors({ [root]: fieldErrorText(err.field, err.message) });
          const idx = fieldIndex(err.field);
          if (idx != null) setBadRow({ field: root, index: idx });
          setFormError(new Error('The brief was not saved. Correct the highlighted field and try again.'));
        } else {
          setFormError(err);
        }
      } else {
        setFormError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: BriefField) => (errors[f] ? true : undefined);
  const rowInvalid = (f: BriefField, i: number) => (badRow && badRow.field === f && badRow.index === i ? true : undefined);

  return (
    <form class="card edit-form" onSubmit={submit} noValidate data-testid="edit-brief-form" aria-label="Edit brief">
      <header class="card-header">
        <h2>Edit brief</h2>
        <div class="card-actions">
          <button type="button" class="btn btn-ghost" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save brief'}
          </button>
        </div>
      </header>
      <div class="card-body">
        {conflict && (
          <ErrorBanner title="Not saved: someone else changed this brief in the meantime.">
            {' '}
            <button type="button" class="btn btn-link" onClick={() => location.reload()}>
              Reload the latest version
            </button>
          </ErrorBanner>
        )}
        {formError != null && <ErrorBanner error={formError} />}

        <div class="form-grid">
          <label class="field span-2">
            <span class="label">Name</span>
            <input name="name" value={draft.name} aria-invalid={invalid('name')} onInput={(e) => set('name', e.currentTarget.value)} />
            <FieldError field="name" message={errors.name} />
          </label>
          <label class="field">
            <span class="label">Objective</span>
            <select name="objective" value={draft.objective} onChange={(e) => set('objective', e.currentTarget.value as BriefDraft['objective'])}>
              {OBJECTIVES.map((o) => (
                <option key={o} value={o}>
                  {humanize(o)}
                </option>
              ))}
            </select>
            <FieldError field="objective" message={errors.objective} />
          </label>
          <label class="field">
            <span class="label">Status</span>
            <select name="status" value={draft.status} onChange={(e) => set('status', e.currentTarget.value as BriefDraft['status'])}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
            <FieldError field="status" message={errors.status} />
          </label>
          <label class="field span-4">
            <span class="label">Description</span>
            <textarea
              name="description"
              rows={4}
              value={draft.description}
              aria-invalid={invalid('description')}
              onInput={(e) => set('description', e.currentTarget.value)}
            />
            <FieldError field="description" message={errors.description} />
          </label>
        </div>

        <Fieldset legend="Audiences" field="audiences" error={errors.audiences}>
          {draft.audiences.map((x, i) => (
            <div class="row-edit" key={i}>
              <input
                class="w-name"
                aria-label={`Audience ${i + 1} name`}
                placeholder="Name"
                value={x.name}
                aria-invalid={rowInvalid('audiences', i)}
                onInput={(e) => set('audiences', replaceAt(draft.audiences, i, { ...x, name: e.currentTarget.value }))}
              />
              <input
                class="grow"
                aria-label={`Audience ${i + 1} description`}
                placeholder="Description"
                value={x.description}
                onInput={(e) => set('audiences', replaceAt(draft.audiences, i, { ...x, description: e.currentTarget.value }))}
              />
              <RemoveButton label={`Remove audience ${i + 1}`} onClick={() => set('audiences', removeAt(draft.audiences, i))} />
            </div>
          ))}
          <AddButton onClick={() => set('audiences', [...draft.audiences, { name: '', description: '' }])}>Add audience</AddButton>
        </Fieldset>

        <Fieldset legend="Markets" field="markets" error={errors.markets} hint="Market code and IANA time zone, e.g. US · America/New_York.">
          {draft.markets.map((m, i) => (
            <div class="row-edit" key={i} data-testid="market-edit-row">
              <input
                class="w-short"
                aria-label={`Market ${i + 1} name`}
                placeholder="Market"
                value={m.name}
                aria-invalid={rowInvalid('markets', i)}
                onInput={(e) => set('markets', replaceAt(draft.markets, i, { ...m, name: e.currentTarget.value }))}
              />
              <input
                class="grow"
                list="tz-list"
                aria-label={`Market ${i + 1} time zone`}
                placeholder="Time zone, e.g. Europe/Paris"
                value={m.tz}
                aria-invalid={rowInvalid('markets', i)}
                onInput={(e) => set('markets', replaceAt(draft.markets, i, { ...m, tz: e.currentTarget.value }))}
              />
              <RemoveButton label={`Remove market ${i + 1}`} onClick={() => set('markets', removeAt(draft.markets, i))} />
            </div>
          ))}
          <AddButton onClick={() => set('markets', [...draft.markets, { name: '', tz: '' }])}>Add market</AddButton>
          <datalist id="tz-list">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Fieldset>

        <Fieldset legend="Primary metric" field="primary_metric" error={errors.primary_metric}>
          <MetricHeader />
          <MetricRow
            label="Primary metric"
            m={draft.primary_metric}
            invalid={invalid('primary_metric')}
            onChange={(m) => set('primary_metric', m)}
          />
        </Fieldset>

        <Fieldset legend="Supporting metrics" field="supporting_metrics" error={errors.supporting_metrics}>
          {draft.supporting_metrics.length > 0 && <MetricHeader removable />}
          {draft.supporting_metrics.map((m, i) => (
            <div class="row-edit" key={i}>
              <MetricRow
                label={`Supporting metric ${i + 1}`}
                m={m}
                invalid={rowInvalid('supporting_metrics', i)}
                onChange={(v) => set('supporting_metrics', replaceAt(draft.supporting_metrics, i, v))}
              />
              <RemoveButton label={`Remove supporting metric ${i + 1}`} onClick={() => set('supporting_metrics', removeAt(draft.supporting_metrics, i))} />
            </div>
          ))}
          <AddButton onClick={() => set('supporting_metrics', [...draft.supporting_metrics, { name: '', unit: '', target: '', forecast: '' }])}>
            Add supporting metric
          </AddButton>
        </Fieldset>

        <Fieldset legend="Budget" field="budget" error={errors.budget} hint="Leave the amount empty for no budget.">
          <div class="row-edit">
            <input
              class="w-medium num"
              name="budget_amount"
              inputMode="decimal"
              aria-label="Budget amount"
              placeholder="Amount, e.g. 250,000.00"
              value={draft.budget_amount}
              aria-invalid={invalid('budget')}
              onInput={(e) => set('budget_amount', e.currentTarget.value)}
            />
            <input
              class="w-short"
              name="budget_currency"
              aria-label="Budget currency"
              placeholder="EUR"
              maxLength={3}
              value={draft.budget_currency}
              onInput={(e) => set('budget_currency', e.currentTarget.value.toUpperCase())}
            />
          </div>
        </Fieldset>
      </div>
    </form>
  );
}

function MetricHeader({ removable = false }: { removable?: boolean }) {
  return (
    <div class={`metric-head${removable ? ' removable' : ''}`} aria-hidden="true">
      <span class="grow">Name</span>
      <span class="w-short">Unit</span>
      <span class="w-medium num">Target</span>
      <span class="w-medium num">Forecast</span>
    </div>
  );
}

function MetricRow({ label, m, onChange, invalid }: { label: string; m: MetricDraft; onChange: (m: MetricDraft) => void; invalid?: boolean | undefined }) {
  return (
    <div class="metric-edit">
      <input class="grow" aria-label={`${label} name`} placeholder="Metric name" value={m.name} aria-invalid={invalid} onInput={(e) => onChange({ ...m, name: e.currentTarget.value })} />
      <input class="w-short" aria-label={`${label} unit`} placeholder="Unit" value={m.unit} onInput={(e) => onChange({ ...m, unit: e.currentTarget.value })} />
      <input class="w-medium num" inputMode="decimal" aria-label={`${label} target`} placeholder="Target" value={m.target} onInput={(e) => onChange({ ...m, target: e.currentTarget.value })} />
      <input class="w-medium num" inputMode="decimal" aria-label={`${label} forecast`} placeholder="Forecast" value={m.forecast} onInput={(e) => onChange({ ...m, forecast: e.currentTarget.value })} />
    </div>
  );
}

function Fieldset({ legend, field, error, hint, children }: { legend: string; field: string; error?: string | undefined; hint?: string; children: ComponentChildren }) {
  return (
    <fieldset class={`fieldset${error ? ' has-error' : ''}`} data-field={field}>
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      {children}
      <FieldError field={field} message={error} />
    </fieldset>
  );
}

function AddButton({ onClick, children }: { onClick: () => void; children: ComponentChildren }) {
  return (
    <button type="button" class="btn btn-small btn-ghost add-row" onClick={onClick}>
      + {children}
    </button>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" class="btn btn-icon" aria-label={label} title={label} onClick={onClick}>
      ×
    </button>
  );
}

function replaceAt<T>(xs: T[], i: number, v: T): T[] {
  return xs.map((x, j) => (j === i ? v : x));
}

function removeAt<T>(xs: T[], i: number): T[] {
  return xs.filter((_, j) => j !== i);
}
