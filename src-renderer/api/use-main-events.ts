import { useEffect } from 'react';
import type { AppAction } from '../state/app-state';
import type { ApiClient, EventChannel, EventOf } from './client';

/**
 * Every event main sends, routed into the app state by one hook (mounted once,
 * by the app's root), instead of each component subscribing on its own. The
 * table is total over the contract's events: a new event that nobody routes
 * does not compile.
 */
type EventRoutes = { readonly [E in EventChannel]: (payload: EventOf<E>) => AppAction };

export const EVENT_ROUTES: EventRoutes = {
  'job:progress': (event) => ({ type: 'job-progress', event }),
  'app:notice': (notice) => ({ type: 'notice', level: notice.level, message: notice.message }),
  'partners:result': (event) => ({ type: 'partner-result', event }),
};

/** Subscribes to every event for as long as the component lives; returns nothing, the state is where events land. */
export function useMainEvents(api: ApiClient, dispatch: (action: AppAction) => void): void {
  useEffect(() => {
    const stops = (Object.keys(EVENT_ROUTES) as EventChannel[]).map((event) => subscribeRoute(api, event, dispatch));
    return () => {
      for (const stop of stops) stop();
    };
  }, [api, dispatch]);
}

function subscribeRoute<E extends EventChannel>(api: ApiClient, event: E, dispatch: (action: AppAction) => void): () => void {
  const route: (payload: EventOf<E>) => AppAction = EVENT_ROUTES[event];
  return api.subscribe(event, (payload) => dispatch(route(payload)));
}
