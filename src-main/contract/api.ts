import { z } from 'zod';
import { CheckReportSchema, ProgressEventSchema } from './check';
import { ProbeReportSchema } from './probe';
import { DnsAnswerSchema, RecordTypeSchema } from './dns';
import { PlanSchema, ProfileSchema } from './planner';

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
 * SKELETON (owner: desktop-app work, issue 5): channel names agreed with the
 * renderer; refine schemas and limits, keep names.
 */
export const JobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const HostNameSchema = z.string().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]_]+$/, 'a host name or IP address');
export const DomainInputSchema = z.string().min(1).max(2048);
export const PortSchema = z.union([z.literal(25), z.literal(465), z.literal(587), z.literal(2525)]);

export const NetworkSettingsSchema = z.object({
  dnsServers: z.array(z.string().max(300)).max(8),
  doh: z.string().url().max(2048).optional(),
  timeoutSeconds: z.number().min(1).max(120),
  caFiles: z.array(z.string().max(4096)).max(16),
  heloName: z.string().max(253).optional(),
});
export type NetworkSettings = z.infer<typeof NetworkSettingsSchema>;

export const HistoryEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(['check', 'probe']),
  target: z.string(),
  at: z.string(),
  worstSeverity: z.enum(['ok', 'info', 'warn', 'fail']),
});

export const ImportFileSchema = z.object({ fileName: z.string().max(512), text: z.string().max(8 * 1024 * 1024) });

export const ExportFormatSchema = z.enum(['json', 'md', 'html']);

export const ErrorValueSchema = z.object({ code: z.string(), message: z.string() });
export type ErrorValue = z.infer<typeof ErrorValueSchema>;
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

const request = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const requests = {
  'app:info': request(z.object({}), z.object({ name: z.string(), version: z.string(), mode: z.enum(['electron', 'browser']) })),
  'check:run': request(z.object({ jobId: JobIdSchema, domain: DomainInputSchema, probe: z.boolean() }), CheckReportSchema),
  'probe:run': request(z.object({ jobId: JobIdSchema, host: HostNameSchema, port: PortSchema, tlsDomain: z.string().max(253).optional() }), ProbeReportSchema),
  'dns:query': request(z.object({ name: DomainInputSchema, type: RecordTypeSchema }), DnsAnswerSchema),
  'job:cancel': request(z.object({ jobId: JobIdSchema }), z.object({ cancelled: z.boolean() })),
  'plan:build': request(z.object({ profile: ProfileSchema, existing: z.array(ImportFileSchema).max(20) }), PlanSchema),
  'profiles:list': request(z.object({}), z.array(ProfileSchema)),
  'profiles:save': request(z.object({ profile: ProfileSchema }), z.object({ saved: z.boolean() })),
  'profiles:delete': request(z.object({ name: z.string().max(200) }), z.object({ deleted: z.boolean() })),
  'settings:get': request(z.object({}), NetworkSettingsSchema),
  'settings:set': request(z.object({ settings: NetworkSettingsSchema }), NetworkSettingsSchema),
  'history:list': request(z.object({}), z.array(HistoryEntrySchema)),
  'history:get': request(z.object({ id: z.string().max(100) }), z.object({ entry: HistoryEntrySchema, report: z.union([CheckReportSchema, ProbeReportSchema]) })),
  'report:export': request(
    z.object({ format: ExportFormatSchema, subject: z.union([z.object({ kind: z.literal('check'), report: CheckReportSchema }), z.object({ kind: z.literal('plan'), plan: PlanSchema })]) }),
    z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() }),
  ),
} as const;

export type Channel = keyof typeof requests;
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]['input']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof requests)[C]['output']>;

/** Events from main to the UI. */
export const events = {
  'job:progress': ProgressEventSchema,
  /** Store problems the user must hear about (e.g. a corrupted file moved aside). */
  'app:notice': z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() }),
} as const;
export type EventChannel = keyof typeof events;
export type EventOf<E extends EventChannel> = z.infer<(typeof events)[E]>;
