import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { humanize } from '../format.ts';
import type { Route } from '../router.ts';
import type { User } from '../types.ts';

interface NavItem {
  label: string;
  href: string;
  active: (r: Route) => boolean;
}

// Top-level sections. Calendar, assets and dashboards join this list as they are built.
const NAV: NavItem[] = [
  {
    label: 'Activations',
    href: '#/activations',
    active: (r) => r.name !== 'inbox' && r.name !== 'not_found' && r.name !== 'login',
  },
  { label: 'Approvals', href: '#/approvals', active: (r) => r.name === 'inbox' },
];

export function Layout({
  user,
  route,
  onLogout,
  children,
}: {
  user: User;
  route: Route;
  onLogout: () => Promise<void>;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <div class="app">
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="#/activations" aria-label="Tutti home">
            <span class="brand-mark" aria-hidden="true">
              T
            </span>
            <span class="brand-name">Tutti</span>
          </a>
          <nav class="mainnav" aria-label="Main">
            {NAV.map((n) => (
              <a key={n.href} href={n.href} class={n.active(route) ? 'active' : ''} aria-current={n.active(route) ? 'page' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          <div class="userbox" data-testid="userbox">
            <div class="user-meta">
              <span class="user-name" data-testid="user-name">
                {user.name}
              </span>
              <span class="user-org">
                <span data-testid="user-org">{user.org_name}</span>
                <span class="sep" aria-hidden="true">
                  ·
                </span>
                <span data-testid="user-role">{humanize(user.role)}</span>
              </span>
            </div>
            <button
              type="button"
              class="btn btn-ghost"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onLogout();
                } finally {
                  setBusy(false);
                }
              }}
            >
              Log out
            </button>
          </div>
        </div>
      </header>
      <main class="content">{children}</main>
    </div>
  );
}

export type ActivationTab = 'brief' | 'plan' | 'calendar' | 'assets' | 'approvals' | 'gates' | 'crisis' | 'measurement' | 'audit';

/** Each activation tab's label, as the tabs and the breadcrumbs show it. */
export const ACTIVATION_TAB_LABELS: Record<ActivationTab, string> = {
  brief: 'Brief',
  plan: 'Plan',
  calendar: 'Calendar',
  assets: 'Assets',
  approvals: 'Approvals',
  gates: 'Gates',
  crisis: 'Crisis',
  measurement: 'Measurement',
  audit: 'Audit trail',
};

/** Tabs of one activation (brief, plan, content calendar, assets, approvals, gates, crisis, measurement, audit trail; dashboards come later). */
export function ActivationTabs({ id, current }: { id: string; current: ActivationTab }) {
  const base = `#/activations/${encodeURIComponent(id)}`;
  const tabs: { key: ActivationTab; label: string; href: string }[] = [
    { key: 'brief', label: ACTIVATION_TAB_LABELS.brief, href: base },
    { key: 'plan', label: ACTIVATION_TAB_LABELS.plan, href: `${base}/schedule` },
    { key: 'calendar', label: ACTIVATION_TAB_LABELS.calendar, href: `${base}/calendar` },
    { key: 'assets', label: ACTIVATION_TAB_LABELS.assets, href: `${base}/assets` },
    { key: 'approvals', label: ACTIVATION_TAB_LABELS.approvals, href: `${base}/approvals` },
    { key: 'gates', label: ACTIVATION_TAB_LABELS.gates, href: `${base}/gates` },
    { key: 'crisis', label: ACTIVATION_TAB_LABELS.crisis, href: `${base}/crisis` },
    { key: 'measurement', label: ACTIVATION_TAB_LABELS.measurement, href: `${base}/measurement` },
    { key: 'audit', label: ACTIVATION_TAB_LABELS.audit, href: `${base}/audit` },
  ];
  return (
    <nav class="tabs" aria-label="Activation">
      {tabs.map((t) => (
        <a key={t.key} href={t.href} class={t.key === current ? 'active' : ''} aria-current={t.key === current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}

export function Breadcrumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      {items.map((it, i) => (
        <span key={i}>
          {i > 0 && (
            <span class="sep" aria-hidden="true">
              /
            </span>
          )}
          {it.href ? <a href={it.href}>{it.label}</a> : <span aria-current="page">{it.label}</span>}
        </span>
      ))}
    </nav>
  );
}
