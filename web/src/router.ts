// Hash routing: the server falls back to index.html for unknown paths, but hash routes keep
// every URL a plain "/" request and survive any reverse-proxy prefix.
//   #/login                      log-in
//   #/activations                activations list (also "#/" and "")
//   #/activations/:id            activation brief
//   #/activations/:id/audit      audit trail of an activation

import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'login'; next: string | null }
  | { name: 'activations' }
  | { name: 'activation'; id: string }
  | { name: 'audit'; id: string }
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
  if (seg[0] === 'activations') {
    if (seg.length === 1) return { name: 'activations' };
    if (seg.length === 2) return { name: 'activation', id: seg[1]! };
    if (seg.length === 3 && seg[2] === 'audit') return { name: 'audit', id: seg[1]! };
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
    case 'not_found':
      return '#' + r.path;
  }
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
