// "What if milestone X is delayed by N?": asks the server (nothing is saved) and hands the
// answer to the page, which previews it on the Gantt.

import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ApiError } from '../errors.ts';
import { describeDuration, parseDuration } from '../plan.ts';
import type { Schedule, WhatIfResponse } from '../types.ts';

export interface WhatIfResult extends WhatIfResponse {
  milestone: string;
  by: string;
}

export function WhatIfPanel({
  activationId,
  schedule,
  result,
  onResult,
}: {
  activationId: string;
  schedule: Schedule;
  result: WhatIfResult | null;
  onResult: (r: WhatIfResult | null) => void;
}) {
  const ids = schedule.milestones.map((m) => m.id);
  const [milestone, setMilestone] = useState(() => schedule.critical_path[0] ?? ids[0] ?? '');
  const [by, setBy] = useState('2d');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (e: Event) => {
    e.preventDefault();
    const amount = by.trim();
    if (!parseDuration(amount)) {
      setError('Enter a delay such as 2d, 12h or 3wd.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.whatIf(activationId, milestone, amount);
      onResult({ ...r, milestone, by: amount });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="whatif-title" data-testid="what-if">
      <header class="card-header">
        <h2 id="whatif-title">What if…</h2>
      </header>
      <div class="card-body">
        <form class="whatif-form" onSubmit={run} noValidate>
          <div class="field">
            <label class="label" for="whatif-milestone">
              Milestone to delay
            </label>
            <select id="whatif-milestone" value={milestone} onChange={(e) => setMilestone((e.target as HTMLSelectElement).value)}>
              {ids.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="label" for="whatif-by">
              Delay by
            </label>
            <input
              id="whatif-by"
              value={by}
              onInput={(e) => setBy((e.target as HTMLInputElement).value)}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'whatif-error' : undefined}
              spellcheck={false}
              autoComplete="off"
            />
          </div>
          <button type="submit" class="btn" disabled={busy || !milestone}>
            {busy ? 'Computing…' : 'Preview'}
          </button>
        </form>
        {error && (
          <div class="field-error" role="alert" id="whatif-error">
            {error}
          </div>
        )}
        {result && (
          <div class={`whatif-result ${result.pushed_past_launch.length ? 'bad' : 'good'}`} role="status" data-testid="what-if-result">
            <p class="strong">
              Delaying <span class="mono">{result.milestone}</span> by {describeDuration(result.by)}
              {result.pushed_past_launch.length ? ' pushes past the launch:' : ' still fits before the launch.'}
            </p>
            {result.pushed_past_launch.length > 0 && (
              <ul class="chip-list" data-testid="what-if-pushed">
                {result.pushed_past_launch.map((id) => (
                  <li key={id} class="chip chip-late mono">
                    {id}
                  </li>
                ))}
              </ul>
            )}
            <p>
              Markets missed:{' '}
              <span class="strong" data-testid="what-if-markets">
                {result.markets_missed.length ? result.markets_missed.join(', ') : 'none'}
              </span>
            </p>
            <p class="muted small">Shown on the chart as a preview. Nothing was saved.</p>
            <button type="button" class="btn btn-small" onClick={() => onResult(null)}>
              Clear preview
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
