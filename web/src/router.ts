// Hash routing: the server falls back to index.html for unknown paths, but hash routes keep
// every URL a plain "/" request and survive any reverse-proxy prefix.
//   #/login                      log-in
//   #/activations                activations list (also "#/" and "")
//   #/activations/:id            activation brief
//   #/activations/:id/audit      audit trail of an activation
//   #/activations/:id/schedule   the plan: Gantt of milestones (?zone=US)
//   #/activations/:id/calendar   the content calendar (?view=week&date=2027-01-05&zone=JP)
//   #/activations/:id/measurement  data feeds and attribution (?by=partner&models=first,last&show=revenue)
//   #/activations/:id/assets     asset library (?tag=hero&platform=instagram_feed&locale=en-gb)
//   #/activations/:id/gates      phase gate board
//   #/activations/:id/crisis     crisis-response templates and the incident roster
//   #/activations/:id/approvals  the activation's approval requests
//   #/approvals                  the signed-in user's approvals inbox

import { useEffect, useState } from 'preact/hooks';
import { parseSettings, settingsParams, type AttributionSettings } from './measurement.ts';

export type CalendarView = 'month' | 'week';

export type Route =
  | { name: 'login'; next: string | null }
  | { name: 'activations' }
  | { name: 'activation'; id: string }
  | { name: 'audit'; id: string }
  | { name: 'schedule'; id: string; zone: string | null }
  | { name: 'calendar'; id: string; view: CalendarView; date: string | null; zone: string | null }
  | { name: 'measurement'; id: string; settings: AttributionSettings }
  | { name: 'assets'; id: string; tag: string; platform: string; locale: string }
  | { name: 'gates'; id: string }
  | { name: 'crisis'; id: string }
  | { name: 'approvals'; id: string }
  | { name: 'inbox' }
  | { name: 'not_found'; path: string };

export function parseRoute(hash: string): Route {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  let query = '';
  const qi = h.indexOf('?');
  if (qi >= 0) {
    query = h.slice(qi + 1);
    h = h.slice(0, qi);
  }
  const parts = h.split('/').filter((p) => p !== '');
  let seg: string[];
  try {
    seg = parts.map((p) => decodeURIComponent(p));
  } catch {
    return { name: 'not_found', path: h };
  }
  if (seg.length === 0) return { name: 'activations' };
  if (seg[0] === 'login' && seg.length === 1) {
    const next = new URLSearchParams(query).get('next');
    return { name: 'login', next: next && next.startsWith('/') ? next : null };
  }
  if (seg[0] === 'approvals' && seg.length === 1) return { name: 'inbox' };
  if (seg[0] === 'activations') {
    if (seg.length === 1) return { name: 'activations' };
    if (seg.length === 3 && seg[2] === 'assets') {
      const sp = new URLSearchParams(query);
      return { name: 'assets', id: seg[1]!, tag: sp.get('tag') ?? '', platform: sp.get('platform') ?? '', locale: sp.get('locale') ?? '' };
    }
    if (seg.length === 3 && seg[2] === 'gates') return { name: 'gates', id: seg[1]! };
    if (seg.length === 3 && seg[2] === 'crisis') return { name: 'crisis', id: seg[1]! };
    if (seg.length === 3 && seg[2] === 'approvals') return { name: 'approvals', id: seg[1]! };
    if (seg.length === 2) return { name: 'activation', id: seg[1]! };
    if (seg.length === 3 && seg[2] === 'audit') return { name: 'audit', id: seg[1]! };
    if (seg.length === 3 && (seg[2] === 'schedule' || seg[2] === 'calendar')) {
      const sp = new URLSearchParams(query);
      const zone = sp.get('zone') || null;
      if (seg[2] === 'schedule') return { name: 'schedule', id: seg[1]!, zone };
      const date = sp.get('date');
      return {
        name: 'calendar',
        id: seg[1]!,
        view: sp.get('view') === 'week' ? 'week' : 'month',
        date: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null,
        zone,
      };
    }
    if (seg.length === 3 && seg[2] === 'measurement') {
      return { name: 'measurement', id: seg[1]!, settings: parseSettings(new URLSearchParams(query)) };
    }
  }
  return { name: 'not_found', path: '/' + parts.join('/') };
}

export function routeHref(r: Route): string {
  switch (r.name) {
    case 'login':
      return r.next ? `#/login?next=${encodeURIComponent(r.next)}` : '#/login';
    case 'activations':
      return '#/activations';
    case 'activation':
      return `#/activations/${encodeURIComponent(r.id)}`;
    case 'audit':
      return `#/activations/${encodeURIComponent(r.id)}/audit`;
    case 'schedule':
      return `#/activations/${encodeURIComponent(r.id)}/schedule${query({ zone: r.zone })}`;
    case 'calendar':
      return `#/activations/${encodeURIComponent(r.id)}/calendar${query({
        view: r.view === 'week' ? 'week' : null,
        date: r.date,
        zone: r.zone,
      })}`;
    case 'measurement':
      return `#/activations/${encodeURIComponent(r.id)}/measurement${query(settingsParams(r.settings))}`;
    case 'assets':
      return `#/activations/${encodeURIComponent(r.id)}/assets${query({ tag: r.tag, platform: r.platform, locale: r.locale })}`;
    case 'gates':
      return `#/activations/${encodeURIComponent(r.id)}/gates`;
    case 'crisis':
      return `#/activations/${encodeURIComponent(r.id)}/crisis`;
    case 'approvals':
      return `#/activations/${encodeURIComponent(r.id)}/approvals`;
    case 'inbox':
      return '#/approvals';
    case 'not_found':
      return '#' + r.path;
  }
}

function query(params: Record<string, string | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) sp.set(k, v);
  // Commas are allowed in a query and keep lists readable: ?models=first,last&by=partner,channel.
  const s = sp.toString().replace(/%2C/gi, ',');
  return s ? '?' + s : '';
}

export function navigate(r: Route, replace = false): void {
  const href = routeHref(r);
  if (replace) {
    history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (location.hash !== href) {
    location.hash = href.slice(1);
  } else {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }
}

/** The current hash path (without '#'), used as the "next" target after logging in. */
export function currentPath(): string {
  const h = location.hash.replace(/^#/, '');
  return h === '' ? '/' : h;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
