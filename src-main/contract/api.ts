import { z } from 'zod';
import { CheckReportSchema, ProgressEventSchema } from './check';
import { ProbeReportSchema } from './probe';
import { DnsAnswerSchema, RecordTypeSchema } from './dns';
import { FlowStatusSchema, PlanSchema, ProfileSchema, TlsObservationSchema } from './planner';
import { REQUEST_CHANNELS } from './channels';
import { MessageAnalysisSchema, MessageInputSchema } from './message';
import {
  PartnerDomainListSchema, PartnerRunEventSchema, PartnerRunSummarySchema, PartnersExportInputSchema, PartnersGetResultSchema,
  PartnersImportInputSchema, PartnersImportResultSchema, PartnersListResultSchema, PartnersRunInputSchema,
} from './partners';
import type { EventChannelName, RequestChannelName } from './channels';

/**
 * The one contract between the UI and main: every request and event.
 *
 * IPC handlers, the preload bridge, the HTTP bridge and the renderer's client
 * are all derived from this map (channels are `noun:verb`). Each request takes
 * one object and returns one value; errors travel as values (`ApiResult`).
 * Limits live here, so a compromised renderer cannot turn the app into a port
 * scanner: host names are checked for form and length, ports are an allow-list,
 * timeouts and list sizes are capped.
 *
 * ## How the renderer reaches main
 *
 * - **Electron**: the preload script exposes `window.mailflow` (type
 *   `MailflowWindowApi` below): one method per request channel, keyed by the
 *   channel name (`window.mailflow['check:run']({ ... })`), each resolving to an
 *   `ApiResult` (never rejecting for expected errors), plus
 *   `onEvent(channel, listener)` returning an unsubscribe function.
 * - **Browser mode** (`npm run web`, the end-to-end tests): the same methods over
 *   HTTP on 127.0.0.1.
 *   - Request: `POST /api/<channel>` (channel name as is, e.g. `/api/check:run`),
 *     body = the input object as JSON, header `X-Mailflow-Token: <token>`,
 *     `Content-Type: application/json`. Response: always an `ApiResult` as JSON
 *     (HTTP 200 for results and error values; 401/403/404/413 carry an
 *     `ApiResult` error too, codes AUTH / HOST / NO_CHANNEL / TOO_LARGE).
 *   - Events: `GET /api/events` as Server-Sent Events; each message is
 *     `event: <event channel>` + `data: <json payload>`.
 *   - Signing in: the launcher opens `http://127.0.0.1:<port>/launch?code=<c>`
 *     (from a 0600 temporary file, so not even the code is in a command line).
 *     The code works once, within a minute; the bridge answers with the session
 *     secret as an HttpOnly, SameSite=Strict cookie and redirects to `/`. The
 *     page never sees the secret, and it is never in the address bar; a new
 *     launch means a new secret. Tools and tests send the secret as the
 *     `X-Mailflow-Token` header instead.
 *   - Limits: each channel has a body cap (`requestByteLimit`); JSON nested
 *     deeper than 64 levels is refused before it is parsed.
 */

// The limits and the rules of the network settings live in settings.ts (plain code: the CLI checks its options with them without loading zod); their schema is below.
export * from './settings';
import { ALLOWED_SMTP_PORTS, checkNetworkSettings, isHostName, isIpAddress, LIMITS, TIMEOUT_RULE, type NetworkSettings } from './settings';

/**
 * The network settings: their shape here, every rule in
 * `checkNetworkSettings` (settings.ts), which the CLI calls directly, so the
 * app and the command line refuse the same values with the same words.
 */
export const NetworkSettingsSchema = z
  .object({
    dnsServers: z.array(z.string()),
    doh: z.string().optional(),
    timeoutSeconds: z.number({ error: TIMEOUT_RULE }),
    caFiles: z.array(z.string()),
    heloName: z.string().optional(),
    dkimSelectors: z.array(z.string()).optional(),
    publicCaFiles: z.array(z.string()).optional(),
  })
  .transform((given, ctx): NetworkSettings => {
    const checked = checkNetworkSettings(given);
    if ('settings' in checked) return checked.settings;
    for (const problem of checked.problems) ctx.addIssue({ code: 'custom', message: problem.message, path: [...problem.path], input: given });
    return z.NEVER;
  });

export const JobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id (letters, digits, - and _, up to 64)');

/** A host to connect to: a DNS name (ASCII), an IPv4 address, or an IPv6 address (bare or in brackets). */
export const HostNameSchema = z
  .string()
  .trim()
  .min(1, 'a host name is needed')
  .max(LIMITS.hostNameLength, 'a host name is at most 253 characters')
  .refine((value) => isHostName(value) || isIpAddress(value), 'not a host name or IP address (letters, digits, hyphens and dots; each part up to 63)');

/**
 * A mail domain as the user types it: Unicode allowed (the check converts it to
 * punycode), no spaces, slashes or control characters. An `@` is tolerated so a
 * pasted address works (the check takes the part after it).
 */
export const DomainInputSchema = z
  .string()
  .trim()
  .min(1, 'a domain is needed')
  .max(LIMITS.hostNameLength, 'a domain is at most 253 characters')
  .refine((value) => !/[\s/\\:<>"'`\p{Cc}]/u.test(value), 'not a domain name (no spaces, slashes or quotes)');

export const PortSchema = z.union(ALLOWED_SMTP_PORTS.map((port) => z.literal(port)) as unknown as [z.ZodLiteral<25>, z.ZodLiteral<465>, z.ZodLiteral<587>, z.ZodLiteral<2525>]);

/**
 * Body caps over HTTP for the channels that carry files or reports; every
 * other channel takes at most `LIMITS.smallRequestBytes`. JSON escaping can
 * make a file's text up to six times larger, so the caps leave room over the
 * contract's own limits (which the schemas enforce after parsing).
 */
const REQUEST_BYTE_LIMITS: Readonly<Record<string, number>> = {
  /** A profile (512 KB at most) and up to 500 TLS observations; imported files are referred to by id. */
  'plan:build': 4 * 1024 * 1024,
  'connectors:import': 8 * 1024 * 1024,
  'report:export': 8 * 1024 * 1024,
  'profiles:save': 4 * 1024 * 1024,
  /** A 10 MB message as base64 (13.4 MB), or 10 MB of pasted text, which JSON escaping can make larger. */
  'message:analyze': LIMITS.requestBytes,
  /** A partner list of up to 8 MB of text; runs and removals name up to a few thousand domains. */
  'partners:import': LIMITS.requestBytes,
  'partners:run': 2 * 1024 * 1024,
  'partners:remove': 2 * 1024 * 1024,
  'partners:export': 2 * 1024 * 1024,
  /** 16 CA file paths of up to 4,096 characters each, besides the rest. */
  'settings:set': 256 * 1024,
  /** Up to 500 observations of up to 2,000 characters each. */
  'observations:save': 2 * 1024 * 1024,
};

/** The largest body the HTTP bridge reads for a channel. */
export function requestByteLimit(channel: string): number {
  return REQUEST_BYTE_LIMITS[channel] ?? LIMITS.smallRequestBytes;
}

export const HistoryEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(['check', 'probe']),
  /** The domain checked or `host:port` probed. */
  target: z.string(),
  /** ISO time the run started. */
  at: z.string(),
  worstSeverity: z.enum(['ok', 'info', 'warn', 'fail']),
  elapsedMs: z.number().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** One remembered run with its full report: what `history:get` returns and the store keeps. */
export const HistoryRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('check'), entry: HistoryEntrySchema, report: CheckReportSchema }),
  z.object({ kind: z.literal('probe'), entry: HistoryEntrySchema, report: ProbeReportSchema }),
]);
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

export const HistoryIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a history id');

export const ImportFileSchema = z.object({
  fileName: z.string().max(512),
  text: z.string().max(LIMITS.importFileBytes, 'the file is larger than 1 MB; export only the connectors'),
});
export type ImportFile = z.infer<typeof ImportFileSchema>;

/** One connector found in an imported file, for the import preview. */
export const ImportedConnectorSummarySchema = z.object({
  name: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  enabled: z.boolean(),
  /** Key settings in words, e.g. "ConnectorType: OnPremises". */
  details: z.array(z.string()),
});

/** A problem in an imported file, as a value (the rest of the file still counts). */
export const ImportProblemSchema = z.object({ where: z.string().optional(), message: z.string() });

/** An imported file or a built plan that main keeps for the session (see handlers/session-objects.ts). */
export const SessionObjectIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id from this session (letters, digits, - and _, up to 64)');

export const ImportPreviewSchema = z.object({
  /** A file without problems is kept by main for the session: `plan:build` takes this id. */
  importId: SessionObjectIdSchema.optional(),
  fileName: z.string(),
  connectors: z.array(ImportedConnectorSummarySchema),
  problems: z.array(ImportProblemSchema),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ProfileNameSchema = z.string().trim().min(1, 'a profile needs a name').max(LIMITS.profileNameLength);

/** A profile as the UI sends it: the planner's schema (which already requires a name of 1 to 200 characters), bounded in size. */
export const ProfileInputSchema = ProfileSchema.refine((profile) => JSON.stringify(profile).length <= LIMITS.profileJsonBytes, 'the profile is too large (over 512 KB)');

/** `ps1` (a PowerShell script of the connectors) is for plans only. */
export const ExportFormatSchema = z.enum(['json', 'md', 'html', 'ps1']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

const coordinate = z.number().finite().min(-100_000).max(100_000);
const PointSchema = z.object({ x: coordinate, y: coordinate });

/**
 * The plan's diagram as the app laid it out, so the HTML export draws the
 * same picture (inline SVG). Numbers and short words only: main escapes every
 * word and draws nothing but boxes, curves and text from it.
 */
export const DiagramSchema = z.object({
  nodes: z.array(z.object({ x: coordinate, y: coordinate, width: z.number().finite().min(1).max(2000), height: z.number().finite().min(1).max(2000), title: z.string().max(200), subtitle: z.string().max(300) })).max(400),
  edges: z.array(z.object({ start: PointSchema, control: PointSchema, end: PointSchema, label: PointSchema, labelWidth: z.number().finite().min(1).max(2000), status: FlowStatusSchema, words: z.array(z.string().max(200)).max(3) })).max(2000),
});
export type Diagram = z.infer<typeof DiagramSchema>;

/** What the export functions take: a report or a plan itself (the CLI's `report` reads saved files into it; the app's channel takes `ExportRequestSubjectSchema`). */
export const ExportSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('check'), report: CheckReportSchema }),
  z.object({ kind: z.literal('probe'), report: ProbeReportSchema }),
  z.object({ kind: z.literal('plan'), plan: PlanSchema, diagram: DiagramSchema.optional() }),
]);
export type ExportSubject = z.infer<typeof ExportSubjectSchema>;

/** What `report:export` takes: a run's report as it is, or a plan main built, by its id (main never re-reads a plan it made). */
export const ExportRequestSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('check'), report: CheckReportSchema }),
  z.object({ kind: z.literal('probe'), report: ProbeReportSchema }),
  z.object({ kind: z.literal('plan'), planId: SessionObjectIdSchema, diagram: DiagramSchema.optional() }),
]);
export type ExportRequestSubject = z.infer<typeof ExportRequestSubjectSchema>;

/**
 * A TLS observation remembered with a profile: `at` is when the diagnosis that
 * made it ran (ISO time), so the app can say "checked 3 hours ago" after a
 * reload or a restart.
 */
export const SavedObservationSchema = TlsObservationSchema.extend({ at: z.string().max(40) });
export type SavedObservation = z.infer<typeof SavedObservationSchema>;

export const NoticeSchema = z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() });
export type Notice = z.infer<typeof NoticeSchema>;

// ---------------------------------------------------------------- results

/**
 * Error codes: INPUT (the input failed the schema or the engine rejected it;
 * `where` names the field), CANCELLED, NOT_FOUND, BUSY (too many jobs),
 * UNAVAILABLE (a feature not present in this build), INTERNAL; the HTTP bridge
 * adds AUTH, HOST, NO_CHANNEL, TOO_LARGE, BAD_JSON; the renderer's transports
 * add TRANSPORT (the request never reached main, or its reply was not an ApiResult).
 */
export const ErrorCodeSchema = z.enum(['INPUT', 'CANCELLED', 'NOT_FOUND', 'BUSY', 'UNAVAILABLE', 'INTERNAL', 'AUTH', 'HOST', 'NO_CHANNEL', 'TOO_LARGE', 'BAD_JSON', 'TRANSPORT']);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export const ErrorValueSchema = z.object({ code: ErrorCodeSchema, message: z.string(), where: z.string().optional() });
export type ErrorValue = z.infer<typeof ErrorValueSchema>;
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

// ---------------------------------------------------------------- channels

const request = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const requests = {
  'app:info': request(
    z.object({}),
    z.object({ name: z.string(), version: z.string(), mode: z.enum(['electron', 'browser']), storePath: z.string().optional() }),
  ),
  /** Notices raised before the UI subscribed (e.g. a corrupted store moved aside at start); drained on read. */
  'app:notices': request(z.object({}), z.array(NoticeSchema)),
  'check:run': request(z.object({ jobId: JobIdSchema, domain: DomainInputSchema, probe: z.boolean() }), CheckReportSchema),
  'probe:run': request(
    z.object({ jobId: JobIdSchema, host: HostNameSchema, port: PortSchema, tlsDomain: HostNameSchema.optional() }),
    ProbeReportSchema,
  ),
  'dns:query': request(z.object({ name: DomainInputSchema, type: RecordTypeSchema }), DnsAnswerSchema),
  'job:cancel': request(z.object({ jobId: JobIdSchema }), z.object({ cancelled: z.boolean() })),
  'plan:build': request(
    z.object({
      profile: ProfileInputSchema,
      /** Files `connectors:import` previewed, by their `importId`. */
      importIds: z.array(SessionObjectIdSchema).max(LIMITS.importFiles).default([]),
      /** TLS results from probes, so flows show "TLS failing". */
      observations: z.array(TlsObservationSchema).max(LIMITS.observations).default([]),
    }),
    /** `planId` names the plan for `report:export`. */
    z.object({ planId: SessionObjectIdSchema, plan: PlanSchema }),
  ),
  /** Preview of one connector export file: what was understood, and problems as values. */
  'connectors:import': request(z.object({ file: ImportFileSchema }), ImportPreviewSchema),
  'profiles:list': request(z.object({}), z.array(ProfileSchema)),
  /** Saves (replacing one of the same name) and makes it the last opened profile. */
  'profiles:save': request(z.object({ profile: ProfileInputSchema }), z.object({ saved: z.boolean() })),
  'profiles:delete': request(z.object({ name: ProfileNameSchema }), z.object({ deleted: z.boolean() })),
  /** The profile opened last, or null (first start: show the article's example). */
  'profiles:last': request(z.object({}), z.object({ profile: ProfileSchema.nullable() })),
  'profiles:select': request(z.object({ name: ProfileNameSchema }), z.object({ selected: z.boolean() })),
  'settings:get': request(z.object({}), NetworkSettingsSchema),
  'settings:set': request(z.object({ settings: NetworkSettingsSchema }), NetworkSettingsSchema),
  /**
   * Desktop app: opens the system's file dialog in main and adds the chosen
   * CA file to the settings, so the renderer never sends a path (browser mode
   * answers UNAVAILABLE: the path is typed there). `added: false` when the
   * dialog was cancelled.
   */
  'settings:addCaFile': request(
    z.object({ list: z.enum(['caFiles', 'publicCaFiles']).default('caFiles') }),
    z.object({ added: z.boolean(), settings: NetworkSettingsSchema }),
  ),
  /** Newest first. */
  'history:list': request(z.object({}), z.array(HistoryEntrySchema)),
  'history:get': request(z.object({ id: HistoryIdSchema }), HistoryRecordSchema),
  'history:delete': request(z.object({ id: HistoryIdSchema }), z.object({ deleted: z.boolean() })),
  /** The TLS observations remembered with a saved profile (latest per target). */
  'observations:list': request(z.object({ profileName: ProfileNameSchema }), z.array(SavedObservationSchema)),
  /** Remembers observations with a profile: each replaces the one of the same target. */
  'observations:save': request(z.object({ profileName: ProfileNameSchema, observations: z.array(SavedObservationSchema).max(LIMITS.observations) }), z.object({ saved: z.boolean() })),
  'report:export': request(
    z
      .object({ format: ExportFormatSchema, subject: ExportRequestSubjectSchema })
      .refine((input) => input.format !== 'ps1' || input.subject.kind === 'plan', { message: 'only a plan can be saved as PowerShell', path: ['format'] }),
    z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() }),
  ),
  /**
   * Message trace: pasted headers / NDR text, or a dropped .eml / .msg (base64),
   * analysed offline; with a profile (or a saved profile's name) the message is
   * put on that organisation's diagram.
   */
  'message:analyze': request(
    z.object({ message: MessageInputSchema, profile: ProfileInputSchema.optional(), profileName: ProfileNameSchema.optional() }),
    MessageAnalysisSchema,
  ),
  /** Partner workbench (issue 9): adds a partner list (CSV or pasted text, or a profile's partners) to the register. */
  'partners:import': request(PartnersImportInputSchema, PartnersImportResultSchema),
  'partners:list': request(z.object({}), PartnersListResultSchema),
  'partners:get': request(z.object({ domain: z.string().trim().min(1).max(253) }), PartnersGetResultSchema),
  /** Checks partners of the register; each answer streams as `partners:result`. Cancel with `job:cancel`: what finished is kept. */
  'partners:run': request(PartnersRunInputSchema, PartnerRunSummarySchema),
  'partners:remove': request(z.object({ domains: PartnerDomainListSchema }), z.object({ removed: z.number() })),
  /** The evidence report, the .ps1, CSV, JSON Lines or the messages (Markdown), from the last check of each partner. */
  'partners:export': request(PartnersExportInputSchema, z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() })),
} as const;

export type Channel = keyof typeof requests;
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]['input']>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requests)[C]['input']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof requests)[C]['output']>;

/** Events from main to the UI. */
export const events = {
  'job:progress': ProgressEventSchema,
  /** Store problems the user must hear about (e.g. a corrupted file moved aside). */
  'app:notice': NoticeSchema,
  /** One partner answered during `partners:run`. */
  'partners:result': PartnerRunEventSchema,
} as const;
export type EventChannel = keyof typeof events;
export type EventOf<E extends EventChannel> = z.infer<(typeof events)[E]>;

/** Every request channel, in a stable order (the preload, IPC and HTTP loops use it). */
export const channels: readonly Channel[] = REQUEST_CHANNELS;

// Compile-time proof that channels.ts and the schema map list the same names.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _requestNamesAgree: Same<RequestChannelName, Channel> = true;
const _eventNamesAgree: Same<EventChannelName, EventChannel> = true;
void _requestNamesAgree;
void _eventNamesAgree;

/** What the renderer sees, whatever the transport: `window.mailflow` in Electron, the HTTP client in a browser. */
export type MailflowWindowApi = {
  readonly [C in Channel]: (input: RequestOf<C>) => Promise<ApiResult<ResponseOf<C>>>;
} & {
  /** Subscribe to an event; returns the function that unsubscribes. */
  readonly onEvent: <E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void) => () => void;
};

// ---------------------------------------------------------------- HTTP wire protocol (browser mode)

/**
 * The renderer's Content-Security-Policy (checklist #7), one text for both
 * shells: Electron sends it as a header (and with every app:// file), the
 * bridge with every page, and index.html's meta tag says the same, to the
 * letter (a test compares them). No `unsafe-inline`. `frame-ancestors` is not
 * here because a meta tag cannot carry it; framing is refused by the bridge's
 * X-Frame-Options, and Electron pages are never framed.
 */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'";

export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/api/events';
export const HTTP_TOKEN_HEADER = 'X-Mailflow-Token';
/** Where a one-time launch code is traded for the session cookie. */
export const HTTP_LAUNCH_PATH = '/launch';
export const HTTP_SESSION_COOKIE = 'mailflow_session';
