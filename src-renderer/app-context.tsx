import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import type { SavedObservation } from '../src-main/contract/api';
import type { Profile } from '../src-main/contract/planner';
import { useApi } from './api/ApiContext';
import { useMainEvents } from './api/use-main-events';
import { appReducer, initialState, withObservations, type AppAction, type AppState, type ImportedFile } from './state/app-state';
import { EXAMPLE_PROFILE } from './features/plan/example-profile';

/**
 * The app's state, its reducer, and the few actions that talk to main
 * (building the plan, opening a profile with its remembered TLS results,
 * remembering new ones). Components read state and call these; none of them
 * knows the transport. Every event from main lands here too (`useMainEvents`).
 *
 * Actions read the latest state through a ref, so one that awaits main never
 * works from the state of the render that started it.
 */
interface AppContextValue {
  readonly state: AppState;
  readonly dispatch: (action: AppAction) => void;
  /** The state as it is now: for code that reads it after awaiting main (a render's `state` may be stale by then). */
  readonly getState: () => AppState;
  /** Builds the plan for a profile with the current imports and TLS observations (or the ones given). */
  readonly buildPlan: (inputs?: { profile?: Profile; existing?: readonly ImportedFile[]; observations?: readonly SavedObservation[] }) => Promise<void>;
  /** Shows a profile (the example, a saved one, or one just saved) with the TLS results remembered for it, and builds its plan. */
  readonly openProfile: (profile: Profile, source: 'example' | 'saved' | 'just-saved') => Promise<void>;
  /** New TLS results: shown at once, remembered with the profile, and the plan rebuilt with them. */
  readonly rememberObservations: (fresh: readonly SavedObservation[]) => Promise<void>;
}

const Context = createContext<AppContextValue | undefined>(undefined);

export function AppStateProvider({ children, initialProfile = EXAMPLE_PROFILE }: { readonly children: ReactNode; readonly initialProfile?: Profile }) {
  const api = useApi();
  const [state, dispatch] = useReducer(appReducer, initialProfile, initialState);
  const latest = useRef(state);
  useLayoutEffect(() => {
    latest.current = state;
  }, [state]);
  useMainEvents(api, dispatch);

  const buildPlan = useCallback<AppContextValue['buildPlan']>(
    async (inputs = {}) => {
      const now = latest.current;
      const profile = inputs.profile ?? now.profile;
      dispatch({ type: 'plan-requested' });
      const existing = inputs.existing ?? now.existing;
      const observations = (inputs.observations ?? now.observations).map(({ at: _at, ...observation }) => observation);
      let result = await api.request('plan:build', { profile, importIds: existing.map((f) => f.importId), observations });
      if (!result.ok && result.error.code === 'NOT_FOUND' && result.error.where?.startsWith('importIds') === true) {
        // Main no longer has the imported files (restarted, or they were dropped): the plan is built without them and the user chooses them again.
        dispatch({ type: 'existing-cleared' });
        dispatch({ type: 'notice', level: 'warn', message: `${result.error.message} The plan is shown without the imported connectors.` });
        result = await api.request('plan:build', { profile, importIds: [], observations });
      }
      if (result.ok) dispatch({ type: 'plan-received', plan: result.value.plan, planId: result.value.planId });
      else dispatch({ type: 'plan-failed', message: result.error.message });
    },
    [api],
  );

  const openProfile = useCallback<AppContextValue['openProfile']>(
    async (profile, source) => {
      if (source === 'just-saved') dispatch({ type: 'profile-saved', profile });
      else dispatch({ type: 'profile-loaded', profile, source });
      const remembered = await api.request('observations:list', { profileName: profile.name });
      const observations = remembered.ok ? remembered.value : [];
      if (observations.length > 0) dispatch({ type: 'observations-loaded', profileName: profile.name, observations });
      await buildPlan({ profile, observations: latest.current.profile.name === profile.name ? withObservations(observations, latest.current.observations) : observations });
    },
    [api, buildPlan],
  );

  const rememberObservations = useCallback<AppContextValue['rememberObservations']>(
    async (fresh) => {
      if (fresh.length === 0) return;
      const { profile, observations } = latest.current;
      dispatch({ type: 'observations-added', observations: fresh });
      const saved = await api.request('observations:save', { profileName: profile.name, observations: [...fresh] });
      if (!saved.ok) dispatch({ type: 'notice', level: 'warn', message: `The TLS results are shown but could not be remembered: ${saved.error.message}` });
      await buildPlan({ observations: withObservations(observations, fresh) });
    },
    [api, buildPlan],
  );

  const getState = useCallback(() => latest.current, []);
  const value = useMemo(() => ({ state, dispatch, getState, buildPlan, openProfile, rememberObservations }), [state, getState, buildPlan, openProfile, rememberObservations]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAppState(): AppContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useAppState outside AppStateProvider');
  return value;
}
