/** The SMTP probe: what checks, the CLI and the app import. */
export { probeSmtp } from './probe';
export { probeHost, boundAddresses, type HostProbeRequest, type HostProbeResult } from './probe-host';
export { createMxProber, type MxProberOptions, type MxToProbe } from './mx-prober';
export { DEFAULT_TIMEOUTS, timeoutsFromStep, defaultHeloName, type ProbeOptions, type ProbeTimeouts, type ProbeProgress } from './options';
export { nodeSocketFactory, type SocketFactory } from './socket-factory';
export { SMTP_FINDINGS } from './findings';
export { ReplyReader, DEFAULT_REPLY_LIMITS, type ReplyLimits, type SmtpReply } from './reply-reader';
export { port25BlockedFinding } from './port25';
