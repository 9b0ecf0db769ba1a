import os from 'node:os';
import type { Clock } from '../clock';
import type { ProbeMode } from '../../contract/probe';
import type { TlsaRecord } from '../tls/dane';
import type { TrustStore } from '../tls/trust-store';
import type { PathValidator } from '../tls/path-validator';
import type { ReplyLimits } from './reply-reader';
import type { SocketFactory } from './socket-factory';
import type { DnssecStatus } from '../../contract/dns';

/** Deadlines, in milliseconds: one per stage and one for the whole probe. */
export interface ProbeTimeouts {
  readonly connectMs: number;
  readonly bannerMs: number;
  /** Each command's reply (EHLO, STARTTLS, MAIL, RCPT, ...). */
  readonly commandMs: number;
  readonly tlsMs: number;
  readonly totalMs: number;
}

export const DEFAULT_TIMEOUTS: ProbeTimeouts = { connectMs: 10_000, bannerMs: 15_000, commandMs: 10_000, tlsMs: 10_000, totalMs: 45_000 };

/** Every stage gets the same per-step timeout (the CLI's --timeout); the whole probe a few of them. */
export function timeoutsFromStep(stepMs: number): ProbeTimeouts {
  return { connectMs: stepMs, bannerMs: stepMs, commandMs: stepMs, tlsMs: stepMs, totalMs: stepMs * 4 };
}

export interface ProbeProgress {
  readonly step: string;
  readonly status: 'started' | 'done' | 'failed';
  readonly detail?: string;
}

export interface ProbeOptions {
  /** The name to expect on the certificate and to send as SNI (the MX host); may be an IP address. */
  readonly host: string;
  /** The address to connect to. */
  readonly address: string;
  readonly port: number;
  /** 'implicit-tls' for port 465; default 'starttls'. */
  readonly mode?: ProbeMode;
  readonly heloName?: string;
  readonly timeouts?: Partial<ProbeTimeouts>;
  readonly socketFactory?: SocketFactory;
  /** Extra trusted CA certificates (PEM text), besides Node's root store. */
  readonly trust?: readonly string[];
  /** CA certificates (PEM text) predictions treat as if Exchange Online trusted them (--public-ca): a rehearsal. */
  readonly publicCas?: readonly string[];
  /** The session's trust store, built once (EngineContext); used instead of building one from `trust`. */
  readonly trustStore?: TrustStore;
  /** Certificate path validation (default: OpenSSL during the handshake, against Node's roots plus `trust`). */
  readonly pathValidator?: PathValidator;
  /** The session's concurrency limiter: the SMTP conversation holds one slot of it. */
  readonly limit?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly tlsa?: readonly TlsaRecord[];
  readonly tlsaAuthenticated?: boolean;
  /** TLSA records still being looked up (the MX prober starts the lookup beside the connection); awaited after TLS. */
  readonly tlsaLookup?: Promise<{ readonly records: readonly TlsaRecord[]; readonly authenticated: boolean; readonly dnssec?: DnssecStatus }>;
  readonly tlsDomain?: string;
  readonly tlsSenderCertificateName?: string;
  readonly acceptedDomains?: readonly string[];
  /** Before STARTTLS, try MAIL FROM / RCPT TO over plain text: does the server refuse? */
  readonly mandatoryTls?: boolean;
  /** With `mandatoryTls`: stop after the plain-text check (QUIT, no TLS): the app's second connection. */
  readonly plaintextOnly?: boolean;
  /** Test whether this recipient is accepted (RCPT TO; never DATA). */
  readonly rcpt?: string;
  readonly mailFrom?: string;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProbeProgress) => void;
  readonly limits?: Partial<ReplyLimits>;
}

/** A name to send in EHLO: this computer's name when it looks like a domain name. */
export function defaultHeloName(): string {
  const name = os.hostname().toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name) ? name : 'mailflow-doctor.invalid';
}
