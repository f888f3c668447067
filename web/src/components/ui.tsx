import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../errors.ts';
import { humanize } from '../format.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorBanner({ error, title, children }: { error?: unknown; title?: string; children?: ComponentChildren }) {
  const message =
    error instanceof ApiError ? error.message : error instanceof Error ? error.message : error ? String(error) : '';
  return (
    <div class="alert alert-error" role="alert" data-testid="error-banner">
      {title && <strong>{title}</strong>}
      {title && message ? ' ' : null}
      {message}
      {children}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div class={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty-state">
      <div class="empty-title">{title}</div>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  draft: 'neutral',
  planning: 'info',
  live: 'success',
  closed: 'muted',
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${STATUS_TONE[status] ?? 'neutral'}`}>{humanize(status)}</span>;
}

export function Badge({ tone = 'neutral', children, title }: { tone?: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function FieldError({ field, message }: { field: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div class="field-error" role="alert" data-field-error={field} id={`err-${field}`}>
      {message}
    </div>
  );
}

export function Section({ title, actions, children, id }: { title: string; actions?: ComponentChildren; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" id={id} aria-labelledby={id ? `${id}-title` : undefined}>
      <header class="card-header">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions && <div class="card-actions">{actions}</div>}
      </header>
      <div class="card-body">{children}</div>
    </section>
  );
}

export function Muted({ children }: { children: ComponentChildren }) {
  return <span class="muted">{children}</span>;
}

/** Current time, re-rendered every `periodMs`. */
export function useNow(periodMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}

export type Async<T> = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ok'; data: T };

/** Runs `load` whenever `deps` change; aborts the previous run. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): [Async<T>, (data: T) => void, () => void] {
  const [value, setValue] = useState<Async<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    setValue({ state: 'loading' });
    loadRef.current(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setValue({ state: 'ok', data });
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setValue({ state: 'error', error });
      },
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  return [value, (data: T) => setValue({ state: 'ok', data }), () => setTick((t) => t + 1)];
}

export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Tutti` : 'Tutti';
  }, [title]);
}
