// The Tutti REST API as the E2E tests drive it directly: setting up and checking state behind the
// browser's back with bearer tokens.

import { expect } from 'vitest';
import { BASE_URL, DEMO_ACTIVATION } from './env.ts';

export interface Reply<T> {
  status: number;
  body: T;
}

/** One request to /api/v1; a string body goes as it is (with `contentType`), any other as JSON. */
export async function call<T>(token: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply<T>> {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': contentType }) },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const txt = await res.text();
  return { status: res.status, body: (txt ? JSON.parse(txt) : null) as T };
}

/** Logs `user` in through the API and returns the session token. */
export async function tokenFor(user: { email: string; password: string }): Promise<string> {
  const r = await call<{ token: string }>('', 'POST', '/auth/login', { email: user.email, password: user.password });
  expect(r.status, `API log-in of ${user.email}`).toBe(200);
  return r.body.token;
}

/** The id of the demo activation among those `token`'s user sees. */
export async function demoActivationId(token: string): Promise<string> {
  const list = await call<{ items: { id: string; name: string }[] }>(token, 'GET', '/activations');
  expect(list.status).toBe(200);
  const a = list.body.items.find((x) => x.name === DEMO_ACTIVATION);
  expect(a, `"${DEMO_ACTIVATION}" in the owner's activations`).toBeTruthy();
  return a!.id;
}
