// Measurement of an activation (C5–C7): the partners' data feeds with their contracts and
// delivery status (a banner when one is late), and attribution by several models side by side.
// Everyone who sees the activation sees both; contracts and events come from the partners'
// own systems (CLI or API), so there is nothing to edit here.

import { api } from '../api.ts';
import { AttributionSection } from '../components/AttributionSection.tsx';
import { DataFeedsCard, LateFeedsBanner } from '../components/DataFeeds.tsx';
import { Loading, useAsync, useDocumentTitle, useNow } from '../components/ui.tsx';
import { navigate, type Route } from '../router.ts';
import type { Activation, FeedContract } from '../types.ts';
import { ActivationSubpageHead, ActivationUnavailable } from './ActivationPage.tsx';

type MeasurementRoute = Extract<Route, { name: 'measurement' }>;

interface Loaded {
  activation: Activation;
  feeds: { ok: true; items: FeedContract[] } | { ok: false; error: unknown };
}

export function MeasurementPage({ route }: { route: MeasurementRoute }) {
  const id = route.id;
  const [data] = useAsync<Loaded>(
    async (signal) => {
      // The activation first: if it is not visible, nothing else is requested or shown.
      const activation = await api.getActivation(id, signal);
      const feeds = await api.listContracts(id, signal).then(
        (r) => ({ ok: true as const, items: r.items ?? [] }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') throw error;
          return { ok: false as const, error };
        },
      );
      return { activation, feeds };
    },
    [id],
  );
  const now = useNow(60_000).getTime();

  useDocumentTitle(data.state === 'ok' ? `Measurement · ${data.data.activation.name}` : 'Measurement');

  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ActivationUnavailable error={data.error} />;

  const { activation: a, feeds } = data.data;
  const items = feeds.ok ? feeds.items : null;

  return (
    <div class="page">
      <ActivationSubpageHead a={a} current="measurement" />

      {items && <LateFeedsBanner feeds={items} now={now} />}
      <DataFeedsCard activationId={a.id} feeds={items} error={feeds.ok ? null : feeds.error} />
      <AttributionSection
        activationId={a.id}
        currency={a.budget?.currency ?? null}
        settings={route.settings} onChange={(settings) => navigate({ ...route, settings }, true)} />
    </div>
  );
}
