// Parsing of the API error envelope: {"error":{"code","message","field"}}.
// Pure functions: unit-tested in errors.test.ts.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  /** Seconds from a Retry-After header (429/503), when present and parseable. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    field: string | null = null,
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isNotFoundOrForbidden(): boolean {
    return this.status === 404 || this.status === 403;
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
}

const DEFAULT_MESSAGES: Record<number, string> = {
  0: 'The server cannot be reached. Check your connection and try again.',
  400: 'The request was not accepted.',
  401: 'Your session has ended. Please log in again.',
  403: 'You do not have access to this.',
  404: 'Not found.',
  409: 'Someone else changed this in the meantime. Reload to see the latest version.',
  413: 'The request is too large.',
  422: 'Some fields are not valid.',
  429: 'Too many requests. Try again in a moment.',
  500: 'The server had a problem. Try again later.',
  503: 'The service is temporarily unavailable. Try again later.',
};

function defaultMessage(status: number): string {
  if (status in DEFAULT_MESSAGES) return DEFAULT_MESSAGES[status]!;
  if (status >= 500) return DEFAULT_MESSAGES[500]!;
  return `Request failed (HTTP ${status}).`;
}

function defaultCode(status: number): string {
  switch (status) {
    case 0:
      return 'network_error';
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 422:
      return 'invalid';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server_error' : 'http_error';
  }
}

/**
 * Parses a Retry-After header value: delta-seconds, or an HTTP-date (relative to `now`).
 * Returns whole seconds (>= 0), or null when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+$/.test(v)) return Number.parseInt(v, 10);
  if (/^[-+]?[\d.]+$/.test(v)) return null; // negative or fractional: not a valid value
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.ceil((t - now) / 1000));
}

/**
 * Builds an ApiError from a failed response's status, raw body text and Retry-After header.
 * Accepts the standard envelope; tolerates empty or non-JSON bodies.
 */
export function parseApiError(status: number, bodyText: string, retryAfterHeader?: string | null): ApiError {
  let code = defaultCode(status);
  let message = defaultMessage(status);
  let field: string | null = null;
  const text = bodyText.trim();
  if (text !== '') {
    try {
      const body: unknown = JSON.parse(text);
      const err =
        body && typeof body === 'object' && 'error' in body ? (body as { error: unknown }).error : null;
      if (err && typeof err === 'object') {
        const e = err as { code?: unknown; message?: unknown; field?: unknown };
        if (typeof e.code === 'string' && e.code !== '') code = e.code;
        if (typeof e.message === 'string' && e.message !== '') message = e.message;
        if (typeof e.field === 'string' && e.field !== '') field = e.field;
      } else if (typeof err === 'string' && err !== '') {
        message = err;
      }
    } catch {
      // Not JSON (e.g. a proxy's HTML error page): keep the default message.
    }
  }
  return new ApiError(status, code, message, field, parseRetryAfter(retryAfterHeader));
}

/** The message shown on the log-in page for a failed log-in attempt. */
export function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'Email or password is incorrect';
    if (err.status === 429) {
      return err.retryAfter != null
        ? `Too many attempts, try again in ${err.retryAfter} s`
        : 'Too many attempts, try again later';
    }
    return err.message;
  }
  return DEFAULT_MESSAGES[0]!;
}

/**
 * The top-level form field an error's `field` refers to: "markets[0].tz", "markets.0.tz" and
 * "markets/0/tz" all map to "markets"; "primary_metric.target" maps to "primary_metric".
 */
export function fieldRoot(field: string | null | undefined): string | null {
  if (!field) return null;
  const f = field.replace(/^\/+/, '').replace(/^body\./, '');
  const root = f.split(/[.[/]/)[0] ?? '';
  return root === '' ? null : root;
}

/** "markets[0].tz" → "Markets 1 tz"; "primary_metric.target" → "Primary metric target". */
export function fieldLabel(field: string): string {
  const s = field
    .replace(/^\/+/, '')
    .replace(/\[(\d+)\]|[./](\d+)(?=[./]|$)/g, (_, a: string | undefined, b: string | undefined) => ` ${Number(a ?? b) + 1}`)
    .replace(/[._/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The text shown next to a form field for a server validation error. Messages that are
 * sentence fragments ("is required", "must be …") get the field's label in front; others are
 * shown as sent, with a capital first letter.
 */
export function fieldErrorText(field: string | null | undefined, message: string): string {
  const m = message.trim();
  if (field && /^(is|are|must|should|cannot|can't|may|needs?|has|have|exceeds|too)\b/.test(m)) {
    return `${fieldLabel(field)} ${m}`;
  }
  return m.charAt(0).toUpperCase() + m.slice(1);
}
