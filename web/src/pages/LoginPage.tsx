import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useDocumentTitle } from '../components/ui.tsx';
import { ApiError, loginErrorMessage } from '../errors.ts';
import type { User } from '../types.ts';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (u: User) => void }) {
  useDocumentTitle('Log in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);

  // While rate-limited, count the remaining seconds down in the message.
  useEffect(() => {
    if (waitUntil == null) return;
    const t = setInterval(() => {
      const left = Math.ceil((waitUntil - Date.now()) / 1000);
      if (left <= 0) {
        setWaitUntil(null);
        setError(null);
      } else {
        setError(`Too many attempts, try again in ${left} s`);
      }
    }, 1000);
    return () => clearInterval(t);
  }, [waitUntil]);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const user = await api.login(email.trim(), password);
      onLoggedIn(user);
    } catch (err) {
      setError(loginErrorMessage(err));
      if (err instanceof ApiError && err.status === 429 && err.retryAfter != null) {
        setWaitUntil(Date.now() + err.retryAfter * 1000);
      }
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="login-screen">
      <div class="login-card">
        <div class="login-brand">
          <span class="brand-mark" aria-hidden="true">
            T
          </span>
          <div>
            <div class="login-title">Tutti</div>
            <div class="muted small">Multi-partner campaign platform</div>
          </div>
        </div>
        <h1 class="login-heading">Log in</h1>
        <form onSubmit={submit} noValidate aria-describedby={error ? 'login-error' : undefined}>
          {error && (
            <div class="alert alert-error" role="alert" id="login-error" data-testid="login-error">
              {error}
            </div>
          )}
          <label class="field">
            <span class="label">Email</span>
            <input
              ref={emailRef}
              type="email"
              name="email"
              autocomplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span class="label">Password</span>
            <input
              type="password"
              name="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          <button class="btn btn-primary btn-block" type="submit" disabled={busy || waitUntil != null || !email || !password}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
      </div>
    </div>
  );
}
