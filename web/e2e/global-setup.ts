// Fails the E2E run up front when the server is not reachable, does not serve the UI, or the
// system Chromium is missing: these tests never pass vacuously.

import { accessSync, constants } from 'node:fs';
import { BASE_URL, CHROMIUM_PATH } from './env.ts';

async function get(path: string): Promise<Response> {
  try {
    return await fetch(BASE_URL + path, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
  } catch (e) {
    const cause = e instanceof Error ? `${e.message}${e.cause ? ` (${String((e.cause as Error).message ?? e.cause)})` : ''}` : String(e);
    throw new Error(`Tutti server is not reachable at ${BASE_URL} (set TUTTI_BASE_URL): ${cause}`);
  }
}

export default async function setup(): Promise<void> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set TUTTI_CHROMIUM)`);
  }

  const me = await get('/api/v1/me');
  if (me.status !== 401) {
    throw new Error(`GET ${BASE_URL}/api/v1/me without a session answered ${me.status}, expected 401`);
  }
  const ct = me.headers.get('content-type') ?? '';
  if (!ct.includes('application/json')) {
    throw new Error(`GET /api/v1/me answered with content-type "${ct}", expected JSON: is ${BASE_URL} a Tutti server?`);
  }

  const index = await get('/');
  const html = await index.text();
  if (index.status !== 200 || !html.includes('id="app"')) {
    throw new Error(`GET ${BASE_URL}/ did not serve the web UI (status ${index.status}); was it started with --web-root web/dist after npm run build?`);
  }
  console.log(`[e2e] server ${BASE_URL} is up; browser ${CHROMIUM_PATH}`);
}
