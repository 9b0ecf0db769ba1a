import { createContext, useCallback, useContext, useMemo, useReducer, type ReactNode } from 'react';
import type { Profile, TlsObservation } from '../src-main/contract/planner';
import { useApi } from './api/ApiContext';
import { appReducer, initialState, type AppAction, type AppState, type ImportedFile } from './state/app-state';
import { EXAMPLE_PROFILE } from './features/plan/example-profile';

/**
 * The app's state, its reducer, and the few actions that talk to main
 * (building the plan). Components read state and call these; none of them
 * knows the transport.
 */
interface AppContextValue {
  readonly state: AppState;
  readonly dispatch: (action: AppAction) => void;
  /** Builds the plan for a profile with the current imports and TLS observations (or the ones given). */
  readonly buildPlan: (inputs?: { profile?: Profile; existing?: readonly ImportedFile[]; observations?: readonly TlsObservation[] }) => Promise<void>;
}

const Context = createContext<AppContextValue | undefined>(undefined);

export function AppStateProvider({ children, initialProfile = EXAMPLE_PROFILE }: { readonly children: ReactNode; readonly initialProfile?: Profile }) {
  const api = useApi();
  const [state, dispatch] = useReducer(appReducer, initialProfile, initialState);
  const buildPlan = useCallback<AppContextValue['buildPlan']>(
    async (inputs = {}) => {
      const profile = inputs.profile ?? state.profile;
      dispatch({ type: 'plan-requested' });
      const result = await api.request('plan:build', {
        profile,
        existing: [...(inputs.existing ?? state.existing)],
        observations: [...(inputs.observations ?? state.observations)],
      });
      if (result.ok) dispatch({ type: 'plan-received', plan: result.value });
      else dispatch({ type: 'plan-failed', message: result.error.message });
    },
    [api, state.profile, state.existing, state.observations],
  );
  const value = useMemo(() => ({ state, dispatch, buildPlan }), [state, buildPlan]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAppState(): AppContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useAppState outside AppStateProvider');
  return value;
}
