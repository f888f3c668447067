// A segmented radio group choosing the time zone every time on the page is shown in: each
// market's zone, UTC and the browser's zone. Arrow keys move between options (native radios).

import type { ZoneOption } from '../calendar.ts';
import { zoneAbbreviation } from '../tz.ts';

function city(tz: string): string {
  const last = tz.split('/').pop() ?? tz;
  return last.replace(/_/g, ' ');
}

export function ZonePicker({
  options,
  value,
  onChange,
  now,
  name = 'zone',
}: {
  options: ZoneOption[];
  value: string;
  onChange: (id: string) => void;
  now: number;
  name?: string;
}) {
  const current = options.find((o) => o.id === value) ?? options[0];
  return (
    <fieldset class="zone-picker" data-testid="zone-picker">
      <legend class="zone-legend">Time zone</legend>
      <div class="segmented" role="presentation">
        {options.map((o) => (
          <label key={o.id} class={`seg${o.id === current?.id ? ' active' : ''}`} title={o.label}>
            <input
              type="radio"
              name={name}
              value={o.id}
              checked={o.id === current?.id}
              aria-label={o.label}
              onChange={() => onChange(o.id)}
            />
            <span class="seg-main">{o.short}</span>
            {o.id !== 'utc' && <span class="seg-sub">{city(o.tz)}</span>}
          </label>
        ))}
      </div>
      {current && (
        <span class="zone-caption muted small" data-testid="zone-caption">
          {current.tz} · {zoneAbbreviation(now, current.tz)}
        </span>
      )}
    </fieldset>
  );
}
