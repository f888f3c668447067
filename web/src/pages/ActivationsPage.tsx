import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { EmptyState, ErrorBanner, FieldError, Loading, StatusBadge, useAsync, useDocumentTitle } from '../components/ui.tsx';
import { ApiError } from '../errors.ts';
import { formatDateTime, humanize } from '../format.ts';
import { canCreateActivation } from '../permissions.ts';
import { navigate } from '../router.ts';
import { OBJECTIVES, type Activation, type Objective, type User } from '../types.ts';

export function ActivationsPage({ user }: { user: User }) {
  useDocumentTitle('Activations');
  const [list] = useAsync((signal) => api.listActivations(signal), []);
  const mayCreate = canCreateActivation(user);

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1>Activations</h1>
          <p class="muted">
            {user.org_kind === 'host'
              ? 'Campaigns your organisation runs with its partners.'
              : 'Campaigns your organisation takes part in.'}
          </p>
        </div>
      </div>
      <div class={mayCreate ? 'grid-main-aside' : ''}>
        <div>
          {list.state === 'loading' && <Loading />}
          {list.state === 'error' && <ErrorBanner error={list.error} title="Activations could not be loaded." />}
          {list.state === 'ok' && <ActivationTable items={list.data.items} user={user} />}
        </div>
        {mayCreate && <NewActivationForm />}
      </div>
    </div>
  );
}

function ActivationTable({ items, user }: { items: Activation[]; user: User }) {
  if (items.length === 0) {
    return (
      <EmptyState title="No activations yet">
        {user.org_kind === 'host'
          ? 'Create the first one to start a joint brief with your partners.'
          : 'When a host organisation adds yours to an activation, it appears here.'}
      </EmptyState>
    );
  }
  const sorted = [...items].sort((a, b) => (b.updated_at ?? '').localeCompare(a.updated_at ?? ''));
  return (
    <div class="table-wrap card">
      <table class="table" data-testid="activations-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Objective</th>
            <th scope="col">Status</th>
            <th scope="col">Host organisation</th>
            <th scope="col" class="num">
              Partners
            </th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((a) => (
            <tr key={a.id}>
              <td>
                <a class="strong" href={`#/activations/${encodeURIComponent(a.id)}`}>
                  {a.name}
                </a>
              </td>
              <td class="nowrap">{humanize(a.objective)}</td>
              <td>
                <StatusBadge status={a.status} />
              </td>
              <td>{a.host_org_name}</td>
              <td class="num">{a.partner_count}</td>
              <td class="nowrap">{formatDateTime(a.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewActivationForm() {
  const [name, setName] = useState('');
  const [objective, setObjective] = useState<Objective>('visibility');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) {
      setError(new ApiError(400, 'invalid', 'Give the activation a name.', 'name'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const a = await api.createActivation(name.trim(), objective);
      navigate({ name: 'activation', id: a.id });
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  const fieldErr = error instanceof ApiError ? error.field : null;
  return (
    <aside class="card">
      <header class="card-header">
        <h2>New activation</h2>
      </header>
      <form class="card-body" onSubmit={submit} data-testid="new-activation-form" noValidate>
        {error && !fieldErr && <ErrorBanner error={error} />}
        <label class="field">
          <span class="label">Name</span>
          <input
            name="name"
            value={name}
            maxLength={200}
            placeholder="e.g. Winter Warm-up 2026"
            aria-invalid={fieldErr === 'name' ? true : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <FieldError field="name" message={fieldErr === 'name' ? error?.message : null} />
        </label>
        <label class="field">
          <span class="label">Objective</span>
          <select name="objective" value={objective} onChange={(e) => setObjective(e.currentTarget.value as Objective)}>
            {OBJECTIVES.map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
          </select>
          <FieldError field="objective" message={fieldErr === 'objective' ? error?.message : null} />
        </label>
        <button class="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create activation'}
        </button>
      </form>
    </aside>
  );
}
