import type { CheckReport, ProgressEvent } from '../contract/check';
import type { DnsAnswer, RecordType } from '../contract/dns';
import type { Plan, Profile } from '../contract/planner';
import type { ProbeReport } from '../contract/probe';
import type { z } from 'zod';
import type { TlsObservationSchema } from '../contract/planner';
import type { ApiResult, Channel, EventChannel, EventOf, ImportFile, ImportPreview, NetworkSettings, RequestOf, ResponseOf } from '../contract/api';
import type { Clock } from '../engine/clock';
import type { MailflowStore } from '../store/store';
import type { PartnerRegister } from '../store/partner-register';
import type { PartnerEntry, PartnerResult, PartnerRunSummary } from '../contract/partners';

export type TlsObservation = z.infer<typeof TlsObservationSchema>;

/** A progress step as the engine reports it; the handler adds the job id and the time. */
export type EngineProgress = Pick<ProgressEvent, 'step' | 'status' | 'detail'>;

export interface JobOptions {
  readonly settings: NetworkSettings;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: EngineProgress) => void;
}

/**
 * What the handlers need from the engine and the planner, in the handlers'
 * words. `default-deps.ts` adapts the real engine to this; unit tests pass
 * fakes. Keeping this narrow is what lets one handler table serve Electron,
 * the HTTP bridge and the tests alike.
 */
export interface EngineDeps {
  runCheck(domain: string, options: JobOptions & { readonly probe: boolean }): Promise<CheckReport>;
  probe(host: string, port: number, options: JobOptions & { readonly tlsDomain?: string }): Promise<ProbeReport>;
  dnsQuery(name: string, type: RecordType, options: { readonly settings: NetworkSettings; readonly signal: AbortSignal }): Promise<DnsAnswer>;
  /** May run off the main thread (the default engine plans on a worker thread). */
  buildPlan(profile: Profile, existing: readonly ImportFile[], observations: readonly TlsObservation[]): Plan | Promise<Plan>;
  importConnectors(file: ImportFile): Omit<ImportPreview, 'importId'>;
  /**
   * Refuses extra CA files that are missing or hold no PEM certificate, so
   * Settings says so when they are saved, not at the next diagnosis.
   */
  checkCaFiles?(files: readonly string[], field?: 'caFiles' | 'publicCaFiles'): Promise<void>;
  /** Partner workbench: checks the partners, each answer handed to `onResult` as it comes (engine/partners/run.ts). */
  runPartners?(partners: readonly PartnerEntry[], options: {
    readonly settings: NetworkSettings;
    readonly signal: AbortSignal;
    readonly expiryWindowDays: number;
    readonly onResult: (result: PartnerResult) => void;
  }): Promise<PartnerRunSummary>;
}

export type Emit = <E extends EventChannel>(channel: E, payload: EventOf<E>) => void;

export interface HandlerDeps {
  readonly mode: 'electron' | 'browser';
  readonly appName: string;
  readonly version: string;
  readonly store: MailflowStore;
  readonly engine: EngineDeps;
  readonly emit: Emit;
  readonly clock: Clock;
  /** The partner register; by default opened beside the store file on first use. */
  readonly partnerRegister?: PartnerRegister;
  /** Ids for history entries; injected so tests are repeatable. */
  readonly newId?: () => string;
  /**
   * The desktop app's file dialog, run in main: the path of the CA file the
   * user chose, or undefined when cancelled. Absent in browser mode.
   */
  readonly chooseCaFile?: () => Promise<string | undefined>;
}

/** One function per channel. Input is `unknown`: every handler parses it with the contract schema itself. */
export type Handler<C extends Channel> = (input: unknown) => Promise<ApiResult<ResponseOf<C>>>;
export type HandlerTable = { readonly [C in Channel]: Handler<C> };

export type { RequestOf };
