import { useEffect, useState } from 'react';
import { useApi } from './api/ApiContext';
import { AppStateProvider, useAppState } from './app-context';
import { DiagnoseView } from './features/diagnose/DiagnoseView';
import { FlowOverview } from './features/flow-diagram/FlowOverview';
import { HistoryView } from './features/history/HistoryView';
import { PlanWizard } from './features/plan/PlanWizard';
import { PartnersView } from './features/partners/PartnersView';
import { SettingsView } from './features/settings/SettingsView';
import { MessageView } from './features/message/MessageView';
import type { View } from './state/app-state';
import { EXAMPLE_PROFILE } from './features/plan/example-profile';

export const APP_TITLE = 'Mailflow Doctor';

const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'overview', label: 'Mail flow' },
  { view: 'plan', label: 'Plan' },
  { view: 'diagnose', label: 'Diagnose' },
  { view: 'message', label: 'Message' },
  { view: 'history', label: 'History' },
  { view: 'partners', label: 'Partners' },
  { view: 'settings', label: 'Settings' },
];

/** The whole UI. `data-app-state` turns `loaded` once the first plan is in (tests wait on it). */
export function App() {
  return (
    <AppStateProvider initialProfile={EXAMPLE_PROFILE}>
      <Shell />
    </AppStateProvider>
  );
}

function Shell() {
  const api = useApi();
  const { state, dispatch, openProfile } = useAppState();
  const [ready, setReady] = useState(false);

  // Start: the last profile (or the article's example) with its remembered TLS results, notices raised before we listened, and the first plan.
  useEffect(() => {
    let live = true;
    void (async () => {
      const [last, notices] = await Promise.all([api.request('profiles:last', {}), api.request('app:notices', {})]);
      if (!live) return;
      if (notices.ok) for (const n of notices.value) dispatch({ type: 'notice', level: n.level, message: n.message });
      if (!last.ok) dispatch({ type: 'notice', level: 'warn', message: `Your last profile could not be opened: ${last.error.message}` });
      const saved = last.ok ? last.value.profile : null;
      await openProfile(saved ?? EXAMPLE_PROFILE, saved ? 'saved' : 'example');
      if (live) setReady(true);
    })();
    return () => {
      live = false;
    };
  }, [api, dispatch, openProfile]);

  useEffect(() => {
    document.title = `${VIEWS.find((v) => v.view === state.view)?.label ?? ''} · ${APP_TITLE}`;
  }, [state.view]);

  return (
    <div className="app" data-app-state={ready ? 'loaded' : 'loading'} data-testid="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>
          <span aria-hidden="true" className="logo">
            ✉
          </span>{' '}
          {APP_TITLE}
        </h1>
        <nav aria-label="Main">
          <ul className="tabs">
            {VIEWS.map((v) => (
              <li key={v.view}>
                <button type="button" className={`tab${state.view === v.view ? ' current' : ''}`} aria-current={state.view === v.view ? 'page' : undefined} data-testid={`nav-${v.view}`} onClick={() => dispatch({ type: 'navigate', view: v.view })}>
                  {v.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {state.notices.length > 0 && (
        <ul className="notices" aria-label="Notices">
          {state.notices.map((n) => (
            <li key={n.id} className={`notice notice-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'} data-testid="notice">
              {n.message}{' '}
              <button type="button" className="quiet" onClick={() => dispatch({ type: 'notice-dismissed', id: n.id })} aria-label="Dismiss notice">
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      )}
      <main id="main" tabIndex={-1}>
        {state.view === 'overview' && <FlowOverview />}
        {state.view === 'plan' && <PlanWizard />}
        {state.view === 'diagnose' && <DiagnoseView />}
        {state.view === 'history' && <HistoryView />}
        {state.view === 'settings' && <SettingsView />}
        {state.view === 'message' && <MessageView />}
        {state.view === 'partners' && <PartnersView />}
      </main>
    </div>
  );
}
