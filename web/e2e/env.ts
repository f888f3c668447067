// Shared E2E settings: the server under test and the system Chromium.

export const BASE_URL = (process.env.TUTTI_BASE_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');

export const CHROMIUM_PATH = process.env.TUTTI_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-gpu',
  '--no-first-run',
  '--disable-sync',
];

/** Demo accounts seeded by `tutti demo`. */
export const USERS = {
  owner: { email: 'olivia@acme.example', password: 'tutti-demo-owner', org: 'Acme Beverages' },
  facilitator: { email: 'felix@acme.example', password: 'tutti-demo-host', org: 'Acme Beverages' },
  viewer: { email: 'victor@acme.example', password: 'tutti-demo-host', org: 'Acme Beverages' },
  streamco: { email: 'sam@streamco.example', password: 'tutti-demo-partner', org: 'StreamCo' },
  nova: { email: 'nina@novasports.example', password: 'tutti-demo-partner', org: 'Nova Sports' },
  orbit: { email: 'una@orbit.example', password: 'tutti-demo-partner', org: 'Orbit Media' },
} as const;

export const DEMO_ACTIVATION = 'Summer Splash 2026';
export const DEMO_MARKETS = [
  { name: 'US', tz: 'America/New_York' },
  { name: 'GB', tz: 'Europe/London' },
  { name: 'JP', tz: 'Asia/Tokyo' },
];
export const DEMO_PARTNERS = ['StreamCo', 'Nova Sports', 'Lumen Creators'];
