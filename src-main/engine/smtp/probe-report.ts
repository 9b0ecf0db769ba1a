import type { DnssecStatus } from '../../contract/dns';
import type { CertificateInfo, CertificateVerdict, DaneResult, ProbeReport } from '../../contract/probe';
import { systemClock } from '../clock';
import { predictInbound, predictOutbound, type ConnectorFacts } from '../connectors/predict';
import { raiseWhenValidationImpossible } from '../connectors/delivery';
import { assessCertificates } from '../tls/verdict';
import { assessDane } from '../tls/dane';
import { describeCertificate, oneLineName } from '../tls/certificate-info';
import { certificateAllNames } from '../tls/hostname';
import { parsePemBundle } from '../tls/trust-store';
import type { ProbeSession } from './probe-session';
import { escapeBytes } from './transcript';

/**
 * After the conversation: the certificate analysis (verdicts, DANE) and the
 * report with its connector predictions. Kept apart from the conversation so
 * the steps only gather facts and this module only judges them.
 */

/** What the certificate analysis found; filled in as it goes, so a bug halfway keeps what was already found. */
export interface CertificateAnalysis {
  certificates: CertificateInfo[];
  verdict: CertificateVerdict | null;
  dane: DaneResult[];
  daneAuthenticated: boolean | null;
  daneDnssec: DnssecStatus | null;
}

export function emptyAnalysis(): CertificateAnalysis {
  return { certificates: [], verdict: null, dane: [], daneAuthenticated: null, daneDnssec: null };
}

/**
 * Certificate verdicts and DANE after the conversation (QUIT already sent):
 * loading the trust store and verifying signatures costs CPU that should
 * not delay the EHLO over TLS, and the TLSA lookup ran beside it.
 */
export async function analyseCertificates(session: ProbeSession, into: CertificateAnalysis): Promise<void> {
  const { options, facts } = session;
  const presented = facts.presented;
  if (presented.length === 0) return;
  const now = (options.clock ?? systemClock).now();
  into.certificates = presented.map((c) => describeCertificate(c, now));
  const path = session.pathValidator.validate({ presented: presented.map((c) => c.raw), ...(facts.handshakeError !== undefined ? { handshakeError: facts.handshakeError } : {}) });
  const assessment = assessCertificates({ presented, host: options.host, store: session.trustStore(), nowMs: now, subject: session.subject, path, validatorName: session.pathValidator.name });
  if (assessment) {
    into.verdict = assessment.verdict;
    session.recorder.add(assessment.findings);
  }
  await applyDane(session, into);
}

/** DANE from the TLSA lookup that ran beside the conversation, or from TLSA records given by the caller. */
async function applyDane(session: ProbeSession, into: CertificateAnalysis): Promise<void> {
  const { options, facts } = session;
  // A failed lookup is "no TLSA records" here; the DNS side reports it.
  const pending = options.tlsaLookup ? await options.tlsaLookup.catch(() => null) : null;
  const records = pending?.records ?? options.tlsa ?? [];
  if (records.length === 0) return;
  const authenticated = pending ? pending.authenticated : (options.tlsaAuthenticated ?? false);
  const dnssec = pending?.dnssec ?? (authenticated ? 'validated' : 'unknown');
  into.daneAuthenticated = authenticated;
  into.daneDnssec = dnssec;
  if (facts.presented.length === 0) return;
  const dane = assessDane({ records, authenticated, dnssec, presented: facts.presented, host: options.host, subject: session.subject });
  into.dane = dane.results;
  session.recorder.add(dane.findings);
}

/** The report: the facts, the analysis, the predictions for Exchange Online connectors and the findings. */
export function assembleReport(session: ProbeSession, analysis: CertificateAnalysis): ProbeReport {
  const { options, facts, recorder } = session;
  const failure = recorder.failure;
  const connectorFacts: ConnectorFacts = {
    host: options.host,
    reached: facts.reached,
    starttlsOffered: facts.starttlsOffered,
    tlsEstablished: facts.tlsInfo !== null,
    ...(facts.tlsFailure ? { tlsFailure: facts.tlsFailure } : {}),
    tlsVersion: facts.tlsInfo?.version ?? null,
    verdict: analysis.verdict,
    leafNames: facts.presented[0] ? certificateAllNames(facts.presented[0]) : [],
    ...(analysis.daneAuthenticated !== null ? { dane: { authenticated: analysis.daneAuthenticated, results: analysis.dane, ...(analysis.daneDnssec ? { dnssec: analysis.daneDnssec } : {}) } } : {}),
    ...(failure ? { failure } : {}),
  };
  const settings = {
    ...(options.tlsDomain ? { tlsDomain: options.tlsDomain } : {}),
    ...(options.tlsSenderCertificateName ? { tlsSenderCertificateName: options.tlsSenderCertificateName } : {}),
    ...(options.acceptedDomains ? { acceptedDomains: options.acceptedDomains } : {}),
  };
  const predictions = [...predictOutbound(connectorFacts, settings), ...predictInbound(connectorFacts, settings)];
  // Validated TLS to this server is impossible: every certificate problem causing it is a failure (issue 8, defect 7).
  const validated = predictions.find((p) => p.direction === 'outbound' && p.setting === 'CertificateValidation')?.verdict;
  const findings = raiseWhenValidationImpossible(recorder.findings, facts.tlsInfo && validated === 'fail' ? false : null);
  return {
    host: options.host,
    address: options.address,
    port: options.port,
    mode: session.mode,
    stages: [...recorder.stages],
    starttls: facts.starttlsOffered,
    tls: facts.tlsInfo,
    certificates: analysis.certificates,
    certificateVerdict: analysis.verdict,
    banner: facts.banner === null ? null : escapeBytes(Buffer.from(facts.banner, 'utf8'), 500),
    bannerHost: facts.bannerHost,
    ehloHost: facts.ehloHost === null ? null : escapeBytes(Buffer.from(facts.ehloHost, 'utf8'), 255),
    capabilities: facts.capabilities,
    capabilitiesTls: facts.capabilitiesTls,
    rcptReply: facts.rcptReply,
    dane: analysis.dane,
    daneAuthenticated: analysis.daneAuthenticated,
    ...(analysis.daneDnssec ? { daneDnssec: analysis.daneDnssec } : {}),
    transcript: recorder.transcript.toArray(),
    transcriptTruncated: recorder.transcript.truncated,
    predictions,
    findings,
    elapsedMs: Math.round(performance.now() - recorder.t0),
    ...(failure ? { failure } : {}),
    ...(facts.requiredTls ? { requiredTls: facts.requiredTls } : {}),
    ...(options.publicCas && options.publicCas.length > 0
      ? { rehearsal: { publicCas: options.publicCas.flatMap((pem) => parsePemBundle(pem)).map((c) => oneLineName(c.subject)) } }
      : {}),
  };
}
