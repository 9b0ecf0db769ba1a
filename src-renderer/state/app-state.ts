import { LIMITS } from '../../src-main/contract/api';
import type { Plan, Profile } from '../../src-main/contract/planner';
import type { MessageAnalysis } from '../../src-main/contract/message';
import type { PartnerRunEvent } from '../../src-main/contract/partners';
import { applyRunEvent, type PartnersTable } from './partners';
import type { SavedObservation } from '../../src-main/contract/api';
import type { ProgressEvent } from '../../src-main/contract/check';
import { cancelProgress, emptyProgress, reduceProgress, type JobProgress } from './job-progress';

/**
 * The app's shared state and the one reducer that changes it. Pure: tested in
 * Node without React.
 */
export type View = 'overview' | 'plan' | 'diagnose' | 'history' | 'settings' | 'message' | 'partners';

/** A file dropped on the diagram, waiting for the Message screen to analyse it. */
export interface DroppedMessage {
  readonly fileName: string;
  readonly base64: string;
}

/** What "Probe <host> now" asks the Diagnose screen to run. */
export interface DiagnoseRequest {
  readonly kind: 'domain' | 'host';
  readonly target: string;
}

/** A connector export main previewed and keeps for the session: the renderer holds only its name and id. */
export interface ImportedFile {
  readonly fileName: string;
  readonly importId: string;
}

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface AppState {
  readonly view: View;
  /** The Partners screen's table: the register's rows, and a run's answers as they stream in (`partners:result`). */
  readonly partners: PartnersTable;
  /** The profile the main screen, the plan and Diagnose are about: the example or a saved one. */
  readonly profile: Profile;
  /** Where the profile came from: the article's example or a saved profile. */
  readonly profileSource: 'example' | 'saved';
  /**
   * The wizard's answers while they are being given: the main screen keeps
   * showing `profile` until they are saved (so "Start empty" empties the form,
   * not the diagram).
   */
  readonly draft: Profile | undefined;
  readonly plan: Plan | undefined;
  /** Main's id for `plan`: exports name it, so main saves the plan it built itself. */
  readonly planId?: string | undefined;
  readonly planStatus: 'idle' | 'loading' | 'ready' | 'failed';
  readonly planError: string | undefined;
  readonly existing: readonly ImportedFile[];
  /** TLS results for the profile's servers and partners, with when they were made (remembered with the profile). */
  readonly observations: readonly SavedObservation[];
  /** Live progress of the job Diagnose runs now (or ran last). */
  readonly progress: JobProgress | undefined;
  /** The flow shown in the details panel (`flow-edge-<from>-<to>`). */
  readonly selectedFlow: string | undefined;
  /** The selection came from outside the diagram (the list, Diagnose): the diagram centres on it. */
  readonly centreSelected: boolean;
  readonly notices: readonly Notice[];
  /** Message trace: a file dropped on the diagram, not yet analysed. */
  readonly droppedMessage?: DroppedMessage | undefined;
  /** Message trace: the last analysis (its path is highlighted on the diagram). */
  readonly messageAnalysis?: MessageAnalysis | undefined;
  /** Set by "Probe <host> now"; Diagnose starts with it and clears it. */
  readonly diagnoseRequest?: DiagnoseRequest | undefined;
}

export type AppAction =
  | { type: 'navigate'; view: View }
  /** The Partners screen's table changed (rows loaded, a run started or ended). */
  | { type: 'partners-table'; table: PartnersTable }
  /** One partner's answer of a run, streamed from main. */
  | { type: 'partner-result'; event: PartnerRunEvent }
  | { type: 'profile-loaded'; profile: Profile; source: 'example' | 'saved' }
  /** The wizard's answers changed (not saved yet). */
  | { type: 'profile-edited'; profile: Profile }
  /** The wizard's answers were saved: they become the profile everything else shows. */
  | { type: 'profile-saved'; profile: Profile }
  | { type: 'plan-requested' }
  | { type: 'plan-received'; plan: Plan; planId: string }
  | { type: 'plan-failed'; message: string }
  | { type: 'existing-added'; files: readonly ImportedFile[] }
  | { type: 'existing-cleared' }
  | { type: 'observations-added'; observations: readonly SavedObservation[] }
  /** The observations remembered with the profile just opened. */
  | { type: 'observations-loaded'; profileName: string; observations: readonly SavedObservation[] }
  | { type: 'job-started'; jobId: string }
  | { type: 'job-progress'; event: ProgressEvent }
  | { type: 'job-cancelled'; jobId: string; atMs: number }
  | { type: 'flow-selected'; key: string | undefined; centre?: boolean }
  | { type: 'notice'; level: Notice['level']; message: string }
  | { type: 'notice-dismissed'; id: number }
  | { type: 'message-dropped'; file: DroppedMessage }
  | { type: 'message-analysed'; analysis: MessageAnalysis | undefined }
  | { type: 'diagnose-requested'; request: DiagnoseRequest | undefined };

export function initialState(profile: Profile): AppState {
  return {
    view: 'overview',
    profile,
    profileSource: 'example',
    draft: undefined,
    plan: undefined,
    planStatus: 'idle',
    planError: undefined,
    existing: [],
    observations: [],
    progress: undefined,
    selectedFlow: undefined,
    centreSelected: false,
    notices: [],
    partners: { rows: [] },
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
export function withObservations<T extends { readonly target: string }>(observations: readonly T[], fresh: readonly T[]): T[] {
  const targets = new Set(fresh.map((o) => o.target));
  return [...observations.filter((o) => !targets.has(o.target)), ...fresh];
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'navigate':
      return { ...state, view: action.view };
    case 'partners-table':
      return { ...state, partners: action.table };
    case 'partner-result':
      // Only answers of the run this screen started (applyRunEvent ignores other jobs).
      return state.partners.run ? { ...state, partners: applyRunEvent(state.partners, action.event) } : state;
    case 'profile-loaded':
      return { ...state, profile: action.profile, profileSource: action.source, draft: undefined, observations: [], selectedFlow: undefined };
    case 'profile-edited':
      return { ...state, draft: action.profile };
    case 'profile-saved': {
      // Another profile (renamed, or a new one) shows none of the old one's TLS results and no old selection.
      const same = action.profile.name === state.profile.name && state.profileSource === 'saved';
      return { ...state, profile: action.profile, profileSource: 'saved', draft: undefined, ...(same ? {} : { observations: [], selectedFlow: undefined }) };
    }
    case 'plan-requested':
      return { ...state, planStatus: 'loading', planError: undefined };
    case 'plan-received':
      return { ...state, plan: action.plan, planId: action.planId, planStatus: 'ready', planError: undefined };
    case 'plan-failed':
      return { ...state, planStatus: 'failed', planError: action.message };
    case 'existing-added':
      return { ...state, existing: withExisting(state.existing, action.files) };
    case 'existing-cleared':
      return { ...state, existing: [] };
    case 'observations-added':
      return { ...state, observations: withObservations(state.observations, action.observations) };
    case 'observations-loaded':
      // Only for the profile still shown: a slow answer for a profile left meanwhile is dropped.
      return action.profileName === state.profile.name ? { ...state, observations: withObservations(action.observations, state.observations) } : state;
    case 'job-started':
      return { ...state, progress: emptyProgress(action.jobId) };
    case 'job-progress':
      return state.progress ? { ...state, progress: reduceProgress(state.progress, action.event) } : state;
    case 'job-cancelled':
      return state.progress?.jobId === action.jobId ? { ...state, progress: cancelProgress(state.progress, action.atMs) } : state;
    case 'flow-selected':
      return { ...state, selectedFlow: action.key, centreSelected: action.centre ?? false };
    case 'notice': {
      const id = (state.notices.at(-1)?.id ?? 0) + 1;
      return { ...state, notices: [...state.notices, { id, level: action.level, message: action.message }].slice(-5) };
    }
    case 'notice-dismissed':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case 'message-dropped':
      return { ...state, view: 'message', droppedMessage: action.file };
    case 'message-analysed':
      return { ...state, droppedMessage: undefined, messageAnalysis: action.analysis };
    case 'diagnose-requested':
      return action.request ? { ...state, view: 'diagnose', diagnoseRequest: action.request } : { ...state, diagnoseRequest: undefined };
  }
}
