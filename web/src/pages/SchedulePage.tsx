// The plan of an activation: the launch per market, the critical path, an at-risk banner, the
// Gantt of milestones and, for brief editors, replanning by form or by dragging a bar's end.
// Everyone who sees the activation can preview a delay ("what if") without saving it.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { marketsOf, pickZone, zoneOptions } from '../calendar.ts';
import { Gantt, type DurationDraft } from '../components/Gantt.tsx';
import { MilestonePanel } from '../components/MilestonePanel.tsx';
import { AddMilestoneForm, CreatePlanForm } from '../components/PlanForms.tsx';
import { Loading, Notice, useAsync, useDocumentTitle, useNow } from '../components/ui.tsx';
import { WhatIfPanel, type WhatIfResult } from '../components/WhatIfPanel.tsx';
import { ZonePicker } from '../components/ZonePicker.tsx';
import { durationEnd, formatSlack, formatSpan, lateMilestones } from '../plan.ts';
import { canEditBrief } from '../permissions.ts';
import { navigate, type Route } from '../router.ts';
import { browserTimeZone, dayKey, formatDateKey, formatDateTimeIn, formatTimeIn, zoneAbbreviation } from '../tz.ts';
import type { Activation, LaunchChange, MilestonesResponse, PlanDocument, Schedule, User } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

type ScheduleRoute = Extract<Route, { name: 'schedule' }>;

interface Loaded {
  activation: Activation;
  milestones: MilestonesResponse;
}

const CONFLICT_MESSAGE =
  'Someone else changed this activation while you were editing. The plan has been reloaded with their changes; yours were not saved, so apply them again if they are still needed.';

export function SchedulePage({ user, route }: { user: User; route: ScheduleRoute }) {
  const id = route.id;
  const [data, setData, reload] = useAsync<Loaded>(
    async (signal) => {
      const activation = await api.getActivation(id, signal);
      const milestones = await api.getMilestones(id, signal);
      return { activation, milestones };
    },
    [id],
  );
  const now = useNow(60_000).getTime();
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<DurationDraft | null>(null);
  const [whatIf, setWhatIf] = useState<WhatIfResult | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const [adding, setAdding] = useState(false);

  useDocumentTitle(data.state === 'ok' ? `Plan · ${data.data.activation.name}` : 'Plan');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;

  const { activation: a, milestones: mr } = data.data;
  const plan = mr.plan;
  const mayEdit = canEditBrief(user, a);
  const zones = zoneOptions(marketsOf(plan, a), browserTimeZone());
  const zone = pickZone(zones, route.zone);
  const schedule = whatIf?.schedule ?? mr.schedule;

  const saved = (r: MilestonesResponse, text: string) => {
    setData({ activation: a, milestones: r });
    setDraft(null);
    setWhatIf(null);
    setNotice({ kind: 'success', text });
  };
  const conflict = () => {
    setDraft(null);
    setWhatIf(null);
    setNotice({ kind: 'warning', text: CONFLICT_MESSAGE });
    reload();
  };
  const select = (m: string | null) => {
    if (draft && draft.id !== m) setDraft(null);
    setSelected(m);
  };

  const pm = plan?.milestones.find((m) => m.id === selected);
  const sm = mr.schedule?.milestones.find((m) => m.id === selected);

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="plan" />

      {mr.launch_changes && mr.launch_changes.length > 0 && <LaunchChanges changes={mr.launch_changes} />}
      {notice && (
        <Notice kind={notice.kind}>
          <span data-testid="plan-notice">{notice.text}</span>
        </Notice>
      )}
      {mr.error && (
        <div class="alert alert-error" role="alert" data-testid="plan-error">
          <strong>The stored plan no longer computes.</strong> {mr.error.message}
          {mr.error.field && (
            <>
              {' '}
              (<code>{mr.error.field}</code>)
            </>
          )}
          {mayEdit ? ' Change the milestone or launch it names to fix it.' : ' The brief’s editors have to fix it.'}
        </div>
      )}

      {!plan && <EmptyPlan a={a} mayEdit={mayEdit} version={mr.version} onSaved={(r) => saved(r, 'The plan was created.')} onConflict={conflict} />}

      {plan && schedule && (
        <>
          <RiskBanner schedule={schedule} preview={!!whatIf} onSelect={select} />
          <PlanSummary schedule={schedule} plan={plan} tz={zone.tz} preview={!!whatIf} />
          <div class="toolbar spread wrap">
            <ZonePicker options={zones} value={zone.id} now={now} onChange={(z) => navigate({ ...route, zone: z }, true)} />
            <Legend />
          </div>
          <div class="plan-layout">
            <section class="card gantt-card" aria-labelledby="gantt-title">
              <header class="card-header">
                <h2 id="gantt-title">
                  Milestones <span class="muted count">{plan.milestones.length}</span>
                </h2>
                {mayEdit && !whatIf && (
                  <div class="card-actions">
                    <button type="button" class="btn btn-small" onClick={() => setAdding(!adding)} aria-expanded={adding}>
                      + Add milestone
                    </button>
                  </div>
                )}
              </header>
              {adding && mayEdit && (
                <AddMilestoneForm
                  activationId={a.id}
                  plan={plan}
                  version={mr.version}
                  onCancel={() => setAdding(false)}
                  onConflict={conflict}
                  onSaved={(r, newId) => {
                    setAdding(false);
                    saved(r, `${newId} was added to the plan.`);
                    setSelected(newId);
                  }}
                />
              )}
              {whatIf && (
                <div class="preview-bar" role="status">
                  <span>
                    <strong>Preview:</strong> <span class="mono">{whatIf.milestone}</span> delayed by {whatIf.by}. Nothing is saved.
                  </span>
                  <button type="button" class="btn btn-small" onClick={() => setWhatIf(null)}>
                    Back to the plan
                  </button>
                </div>
              )}
              <Gantt
                plan={plan}
                schedule={schedule}
                tz={zone.tz}
                now={now}
                selected={selected}
                onSelect={select}
                editable={mayEdit && !whatIf}
                draft={whatIf ? null : draft}
                onDraft={setDraft}
                highlight={whatIf ? new Set(whatIf.pushed_past_launch) : undefined}
              />
              <p class="gantt-hint muted small">
                {mayEdit
                  ? 'Select a milestone to see and replan it. Drag the right end of a bar, or focus it and use the arrow keys, to change its duration.'
                  : 'Select a milestone to see its dates.'}
              </p>
            </section>
            <aside class="plan-aside">
              {pm ? (
                <MilestonePanel
                  key={pm.id}
                  activationId={a.id}
                  plan={plan}
                  version={mr.version}
                  pm={pm}
                  sm={sm}
                  critical={!!mr.schedule?.critical_path.includes(pm.id)}
                  tz={zone.tz}
                  zoneLabel={zone.label}
                  now={now}
                  editable={mayEdit}
                  draftDuration={draft && draft.id === pm.id ? draft.duration : null}
                  onDurationInput={(v) => {
                    if (!sm || v === pm.duration) return setDraft(null);
                    const end = durationEnd(plan, pm.owner, Date.parse(sm.earliest_start), v.trim());
                    setDraft(end === null ? null : { id: pm.id, duration: v.trim(), endMs: end });
                  }}
                  onSaved={saved}
                  onConflict={conflict}
                  onClose={() => select(null)}
                />
              ) : (
                <section class="card">
                  <div class="card-body select-hint">
                    <p class="strong">No milestone selected</p>
                    <p class="muted small">Choose one in the chart to see its earliest and latest dates{mayEdit ? ' and to replan it' : ''}.</p>
                  </div>
                </section>
              )}
              {mr.schedule && <WhatIfPanel activationId={a.id} schedule={mr.schedule} result={whatIf} onResult={setWhatIf} />}
            </aside>
          </div>
        </>
      )}

      {plan && !schedule && (
        <BrokenPlan plan={plan} selected={selected} onSelect={select}>
          {pm && (
            <MilestonePanel
              key={pm.id}
              activationId={a.id}
              plan={plan}
              version={mr.version}
              pm={pm}
              sm={undefined}
              critical={false}
              tz={zone.tz}
              zoneLabel={zone.label}
              now={now}
              editable={mayEdit}
              draftDuration={null}
              onDurationInput={() => {}}
              onSaved={saved}
              onConflict={conflict}
              onClose={() => select(null)}
            />
          )}
        </BrokenPlan>
      )}
    </div>
  );
}

function LaunchChanges({ changes }: { changes: LaunchChange[] }) {
  return (
    <div class="alert alert-warning launch-changes" role="alert" data-testid="launch-changes">
      <strong>A launch time moved.</strong> The server’s time-zone database changed, so the same local launch time now falls at a different
      instant. Check the plan and tell the markets concerned.
      <ul>
        {changes.map((c, i) => {
          const was = Date.parse(c.was);
          const now = Date.parse(c.now);
          const delta = now - was;
          return (
            <li key={i}>
              <span class="strong">{c.market}</span>
              {c.tz && ` (${c.tz})`}: {c.local ? `${c.local.replace('T', ' ')} local ` : ''}was {formatDateTimeIn(was, 'UTC')} UTC, is now{' '}
              <span class="strong">{formatDateTimeIn(now, 'UTC')} UTC</span>
              {Number.isFinite(delta) && delta !== 0 && ` (${delta > 0 ? 'later' : 'earlier'} by ${formatSpan(delta / 1000)})`}
              {c.detected_at && Number.isFinite(Date.parse(c.detected_at)) && (
                <span class="muted"> · noticed {formatDateTimeIn(Date.parse(c.detected_at), 'UTC')} UTC</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function RiskBanner({ schedule, preview, onSelect }: { schedule: Schedule; preview: boolean; onSelect: (id: string) => void }) {
  if (!schedule.at_risk) return null;
  const late = lateMilestones(schedule);
  return (
    <div class="alert alert-error risk-banner" role="alert" data-testid="at-risk-banner">
      <div class="risk-title">
        <span class="risk-icon" aria-hidden="true">
          !
        </span>
        <strong>
          {preview ? 'In this preview the launch is at risk' : 'The launch is at risk'}
          {schedule.markets_at_risk.length > 0 && (
            <>
              {' '}
              in <span data-testid="markets-at-risk">{schedule.markets_at_risk.join(', ')}</span>
            </>
          )}
          .
        </strong>
      </div>
      <div class="risk-detail">
        {late.length === 1 ? 'This milestone finishes after it must:' : 'These milestones finish after they must:'}
        <ul class="chip-list">
          {late.map((m) => (
            <li key={m.id}>
              <button type="button" class="chip chip-late" onClick={() => onSelect(m.id)}>
                <span class="mono">{m.id}</span> {formatSlack(m.slack_seconds).text}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function PlanSummary({ schedule, plan, tz, preview }: { schedule: Schedule; plan: PlanDocument; tz: string; preview: boolean }) {
  const zones = new Map((plan.launch.markets ?? []).map((m) => [m.name, m.tz]));
  const launches = Object.entries(schedule.launch).sort((x, y) => Date.parse(x[1]) - Date.parse(y[1]) || x[0].localeCompare(y[0]));
  const atRisk = new Set(schedule.markets_at_risk);
  const least = schedule.milestones.length ? Math.min(...schedule.milestones.map((m) => m.slack_seconds)) : null;
  return (
    <div class="summary-grid">
      <section class="card summary" aria-labelledby="sum-launch">
        <h2 id="sum-launch" class="summary-title">
          Launch
        </h2>
        <ul class="launch-list" data-testid="launch-list">
          {launches.map(([market, at]) => {
            const ms = Date.parse(at);
            const own = zones.get(market) ?? 'UTC';
            return (
              <li key={market} class={atRisk.has(market) ? 'at-risk' : ''}>
                <span class="launch-market">{market}</span>
                <span>
                  {formatDateTimeIn(ms, own)} <span class="muted">{zoneAbbreviation(ms, own)}</span>
                </span>
                {own !== tz && (
                  <span class="muted small" title={`In ${tz}`}>
                    = {formatDateKey(dayKey(ms, tz), { weekday: 'short' })} {formatTimeIn(ms, tz)} {zoneAbbreviation(ms, tz)}
                  </span>
                )}
                {atRisk.has(market) && <span class="pill pill-late">at risk</span>}
              </li>
            );
          })}
        </ul>
      </section>
      <section class="card summary" aria-labelledby="sum-critical">
        <h2 id="sum-critical" class="summary-title">
          Critical path{preview && ' (preview)'}
        </h2>
        {schedule.critical_path.length ? (
          <ol class="critical-path" data-testid="critical-path">
            {schedule.critical_path.map((m) => (
              <li key={m} class="mono">
                {m}
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">No milestones.</p>
        )}
        <p class="muted small">The milestones with the least slack: any delay to them delays what follows.</p>
      </section>
      <section class="card summary" aria-labelledby="sum-status">
        <h2 id="sum-status" class="summary-title">
          Status{preview && ' (preview)'}
        </h2>
        {schedule.at_risk ? (
          <p class="status-big bad" data-testid="plan-status">
            At risk
          </p>
        ) : (
          <p class="status-big good" data-testid="plan-status">
            On track
          </p>
        )}
        {least !== null && <p class="muted small">Least slack: {formatSlack(least).text.replace(/^slack /, '')}</p>}
      </section>
    </div>
  );
}

function Legend() {
  return (
    <ul class="legend" aria-label="Legend">
      <li>
        <span class="swatch swatch-bar" aria-hidden="true" /> Earliest start → finish
      </li>
      <li>
        <span class="swatch swatch-critical" aria-hidden="true" /> Critical
      </li>
      <li>
        <span class="swatch swatch-window" aria-hidden="true" /> Allowed window
      </li>
      <li>
        <span class="swatch swatch-done" aria-hidden="true" /> Done
      </li>
      <li>
        <span class="swatch swatch-launch" aria-hidden="true" /> Launch
      </li>
      <li>
        <span class="swatch swatch-now" aria-hidden="true" /> Now
      </li>
    </ul>
  );
}

function EmptyPlan({
  a,
  mayEdit,
  version,
  onSaved,
  onConflict,
}: {
  a: Activation;
  mayEdit: boolean;
  version: number;
  onSaved: (r: MilestonesResponse) => void;
  onConflict: () => void;
}) {
  return (
    <>
      <div class="empty plan-empty" data-testid="empty-plan">
        <div class="empty-title">No plan yet</div>
        <div class="empty-body">
          <p>
            A plan is the launch — one local time in every market — and the milestones that must be done before it, each with a duration, an
            owner and what it waits for. Tutti works backwards from the launch and forwards from today to show every milestone’s slack, the
            critical path and whether the launch is at risk.
          </p>
          {!mayEdit && <p>The host’s owners and facilitators create the plan.</p>}
        </div>
      </div>
      {mayEdit && <CreatePlanForm activationId={a.id} markets={a.markets ?? []} version={version} onSaved={onSaved} onConflict={onConflict} />}
    </>
  );
}

function BrokenPlan({
  plan,
  selected,
  onSelect,
  children,
}: {
  plan: PlanDocument;
  selected: string | null;
  onSelect: (id: string) => void;
  children: ComponentChildren;
}) {
  return (
    <div class="plan-layout">
      <section class="card" aria-labelledby="broken-title">
        <header class="card-header">
          <h2 id="broken-title">Milestones</h2>
        </header>
        <ul class="plain-list">
          {plan.milestones.map((m) => (
            <li key={m.id}>
              <button type="button" class="btn btn-link mono" aria-pressed={selected === m.id} onClick={() => onSelect(m.id)}>
                {m.id}
              </button>{' '}
              <span class="muted small">
                {m.duration}
                {m.owner ? ` · ${m.owner}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <aside class="plan-aside">{children}</aside>
    </div>
  );
}
