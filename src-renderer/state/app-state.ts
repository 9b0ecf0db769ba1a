import { LIMITS } from '../../src-main/contract/api';
import type { Plan, Profile } from '../../src-main/contract/planner';
import type { TlsObservation } from './observations';

/**
 * The app's shared state and the one reducer that changes it. Pure: tested in
 * Node without React.
 */
export type View = 'overview' | 'plan' | 'diagnose' | 'history' | 'settings' | 'partners';

export interface ImportedFile {
  readonly fileName: string;
  readonly text: string;
}

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface AppState {
  readonly view: View;
  readonly profile: Profile;
  /** Where the profile came from: the article's example, a saved profile, or edits not yet saved. */
  readonly profileSource: 'example' | 'saved' | 'edited';
  readonly plan: Plan | undefined;
  readonly planStatus: 'idle' | 'loading' | 'ready' | 'failed';
  readonly planError: string | undefined;
  readonly existing: readonly ImportedFile[];
  readonly observations: readonly TlsObservation[];
  /** The flow shown in the details panel (`flow-edge-<from>-<to>`). */
  readonly selectedFlow: string | undefined;
  readonly notices: readonly Notice[];
}

export type AppAction =
  | { type: 'navigate'; view: View }
  | { type: 'profile-loaded'; profile: Profile; source: 'example' | 'saved' }
  | { type: 'profile-edited'; profile: Profile }
  | { type: 'profile-saved' }
  | { type: 'plan-requested' }
  | { type: 'plan-received'; plan: Plan }
  | { type: 'plan-failed'; message: string }
  | { type: 'existing-added'; files: readonly ImportedFile[] }
  | { type: 'existing-cleared' }
  | { type: 'observations-added'; observations: readonly TlsObservation[] }
  | { type: 'flow-selected'; key: string | undefined }
  | { type: 'notice'; level: Notice['level']; message: string }
  | { type: 'notice-dismissed'; id: number };

export function initialState(profile: Profile): AppState {
  return {
    view: 'overview',
    profile,
    profileSource: 'example',
    plan: undefined,
    planStatus: 'idle',
    planError: undefined,
    existing: [],
    observations: [],
    selectedFlow: undefined,
    notices: [],
  };
}

/** At most this many imported files: what `plan:build` accepts. */
export const MAX_EXISTING_FILES = LIMITS.importFiles;

/**
 * The imported files after adding some: a file imported again replaces the
 * earlier copy of the same name, and only the latest MAX_EXISTING_FILES are
 * kept. The reducer and the plan request both use this, so the plan is built
 * from exactly the files the state holds.
 */
export function withExisting(existing: readonly ImportedFile[], files: readonly ImportedFile[]): ImportedFile[] {
  const names = new Set(files.map((f) => f.fileName));
  return [...existing.filter((f) => !names.has(f.fileName)), ...files].slice(-MAX_EXISTING_FILES);
}

/** The TLS observations after adding some: the latest diagnosis of a target replaces the earlier one. */
export function withObservations(observations: readonly TlsObservation[], fresh: readonly TlsObservation[]): TlsObservation[] {
  const targets = new Set(fresh.map((o) => o.target));
  return [...observations.filter((o) => !targets.has(o.target)), ...fresh];
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'navigate':
      return { ...state, view: action.view };
    case 'profile-loaded':
      return { ...state, profile: action.profile, profileSource: action.source, observations: [], selectedFlow: undefined };
    case 'profile-edited':
      return { ...state, profile: action.profile, profileSource: 'edited' };
    case 'profile-saved':
      return { ...state, profileSource: 'saved' };
    case 'plan-requested':
      return { ...state, planStatus: 'loading', planError: undefined };
    case 'plan-received':
      return { ...state, plan: action.plan, planStatus: 'ready', planError: undefined };
    case 'plan-failed':
      return { ...state, planStatus: 'failed', planError: action.message };
    case 'existing-added':
      return { ...state, existing: withExisting(state.existing, action.files) };
    case 'existing-cleared':
      return { ...state, existing: [] };
    case 'observations-added':
      return { ...state, observations: withObservations(state.observations, action.observations) };
    case 'flow-selected':
      return { ...state, selectedFlow: action.key };
    case 'notice': {
      const id = (state.notices.at(-1)?.id ?? 0) + 1;
      return { ...state, notices: [...state.notices, { id, level: action.level, message: action.message }].slice(-5) };
    }
    case 'notice-dismissed':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
  }
}
