import type { CertificateVerdict, ConnectorPrediction, DaneResult, PredictionReason, ProbeFailure } from '../../contract/probe';
import type { DnssecStatus } from '../../contract/dns';
import { coveredByAcceptedDomain, settingMatchesCertificateName } from './tls-domain';

/**
 * What Exchange Online connectors would do with the server probed, read from
 * the probe's facts. Pure: no network. Codes and fixes follow
 * shared/reference/exchange-online-connectors.md (section 5).
 *
 * A prediction lists every reason that would fail it, in the order Exchange
 * Online meets them (connection, STARTTLS, TLS version, chain, validity, key,
 * signature, name), each with its own fix (issue 8: fix them all in one go).
 */
export interface ConnectorFacts {
  readonly host: string;
  /** How far the connection got: 'ok' once the server greeted us. */
  readonly reached: 'ok' | 'refused' | 'timeout' | 'unreachable' | 'reset' | 'closed' | 'error';
  readonly starttlsOffered: boolean;
  /** TLS was established (STARTTLS or implicit). */
  readonly tlsEstablished: boolean;
  readonly tlsFailure?: 'not-offered' | 'rejected' | 'handshake-failed' | 'handshake-timeout';
  readonly tlsVersion: string | null;
  readonly verdict: CertificateVerdict | null;
  /** Every SAN DNS name and CN of the leaf. */
  readonly leafNames: readonly string[];
  /**
   * `dnssec`: whether the TLSA records were validated (AD from a validating
   * resolver), proven insecure, or unknown because the resolver does not validate.
   */
  readonly dane?: { readonly authenticated: boolean; readonly results: readonly DaneResult[]; readonly dnssec?: DnssecStatus };
  /** The stage that stopped the probe, and how (the probe report's `failure`). */
  readonly failure?: ProbeFailure;
}

export interface ConnectorSettings {
  readonly tlsDomain?: string;
  readonly tlsSenderCertificateName?: string;
  readonly acceptedDomains?: readonly string[];
}

type Outcome = Omit<ConnectorPrediction, 'direction' | 'setting'>;

const pass = (reason: string): Outcome => ({ verdict: 'pass', reason, fix: 'Nothing to do.', reasons: [] });

/** A failing (or unknown) outcome from its reasons: the NDR is the one of the first reason Exchange Online hits. */
function outcomeOf(verdict: 'fail' | 'unknown', ndr: string | undefined, reasons: readonly PredictionReason[], prefix = ''): Outcome {
  return {
    verdict,
    ...(ndr ? { ndr } : {}),
    reason: `${prefix}${reasons.map((r) => r.text).join(' ')}`,
    fix: [...new Set(reasons.map((r) => r.fix))].join(' '),
    reasons: [...reasons],
  };
}

const NDR_TLS = '450 4.4.317';
const NDR_CERTIFICATE = '450 4.7.320';
const NDR_SUBJECT = '450 4.4.317 (SubjectMismatch)';

const STAGE_WORDS: Readonly<Record<ProbeFailure['stage'], string>> = {
  connect: 'the connection', banner: 'the greeting (banner)', ehlo: 'EHLO', helo: 'HELO', mail: 'MAIL FROM', rcpt: 'RCPT TO', rset: 'RSET',
  starttls: 'STARTTLS', tls: 'the TLS handshake', 'ehlo-tls': 'EHLO over TLS', quit: 'QUIT',
};

/**
 * The reason from the stage that actually failed, for failures after the
 * connection and outside TLS: a 421 to EHLO is the server closing the
 * session, not "no STARTTLS"; a silent banner is a timeout, not an abrupt
 * close. Connection and TLS failures keep their own outcomes.
 */
function stoppedOutcome(facts: ConnectorFacts): Outcome | null {
  const failure = facts.failure;
  if (!failure || failure.stage === 'connect' || failure.stage === 'tls') return null;
  if (failure.stage === 'starttls' && failure.kind === 'reply' && failure.reply?.code !== 421) return null;
  const at = STAGE_WORDS[failure.stage];
  const stopped = (ndr: string | undefined, text: string, fix: string): Outcome => outcomeOf('unknown', ndr, [{ kind: 'connection', text, fix }]);
  const fix = 'Fix what the server reports at this step (see the findings and the transcript), then probe again.';
  switch (failure.kind) {
    case 'reply': {
      const reply = failure.reply;
      const enhanced = reply ? /^\d\.\d{1,3}\.\d{1,3}/.exec(reply.text)?.[0] : undefined;
      const code = reply ? `${reply.code}${enhanced ? ` ${enhanced}` : ''}` : undefined;
      const temporary = reply !== undefined && reply.code >= 400 && reply.code < 500;
      return stopped(
        code,
        `The server answered ${at} with ${reply ? `${reply.code} ${reply.text}` : 'an error'}${temporary ? ': it ends the session, so Exchange Online would queue the message and retry' : ': it ends the session'}; TLS was never reached.`,
        reply?.code === 421 ? 'Check the server\'s load, its connection limits and whether it blocks the address you probe from; a 421 from every sender means mail queues.' : fix,
      );
    }
    case 'timeout':
      return stopped(undefined, `No answer to ${at} in time; a sender gives up and retries later (the message queues), TLS was never reached.`, 'Check the server\'s load and any greeting delay (tarpitting); replies should come within seconds.');
    case 'reset':
    case 'closed':
      return stopped('450 4.4.318', `The connection was closed abruptly at ${at}; Exchange Online reports this as 4.4.318.`, 'Check firewalls doing SMTP inspection and the server\'s connection limits.');
    case 'protocol':
    case 'too-long':
      return stopped(undefined, `At ${at} the server sent something that is not a valid SMTP reply; senders give up.`, 'Check that this address and port really serve SMTP.');
    default:
      return stopped(undefined, `The probe stopped at ${at}: ${failure.detail}`, fix);
  }
}

function connectionOutcome(facts: ConnectorFacts): Outcome | null {
  const reason = (text: string, fix: string): PredictionReason => ({ kind: 'connection', text, fix });
  switch (facts.reached) {
    case 'ok':
      return null;
    case 'refused':
      return outcomeOf('unknown', '450 4.4.316', [reason('Connection refused from here; if Exchange Online is refused too, mail queues with 4.4.316.', 'Allow inbound port 25 from the Microsoft 365 address ranges and check the service is running.')]);
    case 'timeout':
      return outcomeOf('unknown', '450 4.4.315', [reason('Connection timed out from here (this network may block port 25); if Exchange Online times out too, mail queues with 4.4.315.', 'Test from a server that may use port 25; check the firewall allows the Microsoft 365 address ranges.')]);
    case 'reset':
    case 'closed':
      return outcomeOf('unknown', '450 4.4.318', [reason('The connection was closed abruptly; Exchange Online reports this as 4.4.318.', 'Check firewalls doing SMTP inspection and the server\'s connection limits.')]);
    default:
      return outcomeOf('unknown', undefined, [reason('The SMTP conversation did not get far enough to tell.', 'Fix the connection problem reported above, then probe again.')]);
  }
}

/** STARTTLS or the handshake failed: nothing after it can be seen, every setting fails here. */
function tlsBlockedOutcome(facts: ConnectorFacts): Outcome | null {
  if (facts.tlsEstablished) return null;
  const text = facts.tlsFailure === 'not-offered' || !facts.starttlsOffered
    ? 'The server does not offer STARTTLS; a connector that requires TLS fails (TLS required but not offered).'
    : facts.tlsFailure === 'rejected' ? 'The server refused STARTTLS.'
      : facts.tlsFailure === 'handshake-timeout' ? 'The TLS handshake never completed.'
        : 'The TLS handshake failed.';
  return outcomeOf('fail', NDR_TLS, [{ kind: 'starttls', text, fix: 'Enable STARTTLS with a working certificate and TLS 1.2 or later on the server.' }]);
}

function tlsVersionReasons(facts: ConnectorFacts): PredictionReason[] {
  if (!facts.tlsVersion || !/^TLSv1(\.[01])?$/.test(facts.tlsVersion)) return [];
  return [{ kind: 'tls-version', text: `The server negotiated ${facts.tlsVersion}; Exchange Online uses TLS 1.2 or later only, so TLS negotiation fails.`, fix: 'Enable TLS 1.2 (and 1.3) on the server.' }];
}

/** Every reason CertificateValidation fails, in the order a validator reports them: chain, validity, key, signature. */
export function certificateReasons(verdict: CertificateVerdict | null): PredictionReason[] {
  if (!verdict) return [{ kind: 'chain', text: 'No certificate was presented.', fix: 'Install a certificate from a public certificate authority.' }];
  const reasons: PredictionReason[] = [];
  const publicCa = 'Install a certificate from a public certificate authority, with its full chain.';
  if (verdict.chain === 'self-signed') reasons.push({ kind: 'chain', code: 'UntrustedRoot', text: 'UntrustedRoot: the certificate is self-signed.', fix: publicCa });
  if (verdict.chain === 'untrusted-root') reasons.push({ kind: 'chain', code: 'UntrustedRoot', text: `UntrustedRoot: the chain ends at a root Exchange Online does not trust${verdict.missingIssuer ? ` (${verdict.missingIssuer})` : ''}.`, fix: publicCa });
  if (verdict.chain === 'invalid') {
    reasons.push({ kind: 'chain', code: 'InvalidChain', text: `InvalidChain: ${verdict.pathError?.rule ?? 'the chain breaks a rule of certificate path validation'}.`, fix: 'Reissue the certificate from a CA whose intermediates may issue server certificates (basicConstraints CA, keyCertSign, serverAuth), and send that chain.' });
  }
  if (verdict.chain === 'incomplete') reasons.push({ kind: 'chain', code: 'UntrustedRoot', text: `UntrustedRoot: missing intermediate (${verdict.missingIssuer ?? 'issuer'}); Exchange Online does not fetch it.`, fix: 'Configure the server to send its intermediate certificate(s) with the certificate.' });
  if (verdict.chain === 'trusted' && verdict.trustAnchorSource === 'extra') {
    reasons.push({ kind: 'chain', code: 'UntrustedRoot', text: `UntrustedRoot: trusted by your CA file only (${verdict.trustAnchor ?? 'a private CA'}), which Exchange Online does not trust.`, fix: 'For Exchange Online, use a certificate from a public certificate authority.' });
  }
  if (verdict.expired) {
    reasons.push({
      kind: 'expiry', code: 'Expired',
      text: verdict.leafDaysLeft < 0 ? `Expired: the certificate expired ${-verdict.leafDaysLeft} day${verdict.leafDaysLeft === -1 ? '' : 's'} ago.` : 'Expired: an intermediate certificate of the chain has expired.',
      fix: 'Renew the certificate (and install the CA\'s current intermediate), then reload the mail service.',
    });
  }
  if (verdict.notYetValid) reasons.push({ kind: 'expiry', code: 'NotYetValid', text: 'NotYetValid: a certificate of the chain is not valid yet.', fix: 'Check the clocks; reissue the certificate with a correct validity period.' });
  if (verdict.weakKey) {
    reasons.push({ kind: 'key', code: 'WeakKey', text: `Weak key: ${verdict.weakKeyBits ? `a ${verdict.weakKeyBits}-bit RSA key` : 'an RSA key under 2048 bits'} in the chain; current TLS libraries refuse it (OpenSSL: "EE key too weak").`, fix: 'Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 key.' });
  }
  if (verdict.sha1Signature) reasons.push({ kind: 'signature', code: 'WeakSignature', text: 'Weak signature: a certificate of the chain is signed with SHA-1, which current TLS libraries refuse.', fix: 'Reissue the certificate with a SHA-256 signature.' });
  return reasons;
}

function nameReason(tlsDomain: string, leafNames: readonly string[]): PredictionReason | null {
  const match = leafNames.find((name) => settingMatchesCertificateName(tlsDomain, name));
  if (match) return null;
  return {
    kind: 'name', code: 'SubjectMismatch',
    text: `SubjectMismatch: TlsDomain ${tlsDomain} matches no subjectAltName or CN of the certificate (${leafNames.join(', ') || 'none'}).`,
    fix: `Set the connector's TlsDomain to a name on the certificate (Set-OutboundConnector -TlsDomain ${leafNames[0] ?? '<name>'}), or get a certificate that includes ${tlsDomain}.`,
  };
}

/** Outbound connector (Office 365 -> this server) for each TlsSettings value, plus DANE when TLSA records exist. */
export function predictOutbound(facts: ConnectorFacts, settings: ConnectorSettings = {}): ConnectorPrediction[] {
  const out = (setting: string, outcome: Outcome): ConnectorPrediction => ({ direction: 'outbound', setting, ...outcome });
  const blocked = stoppedOutcome(facts) ?? connectionOutcome(facts) ?? tlsBlockedOutcome(facts);
  const predictions: ConnectorPrediction[] = [];
  if (blocked) {
    for (const setting of ['EncryptionOnly', 'CertificateValidation', 'DomainValidation']) predictions.push(out(setting, blocked));
    return predictions;
  }
  const version = tlsVersionReasons(facts);
  const certificate = [...version, ...certificateReasons(facts.verdict)];
  predictions.push(out('EncryptionOnly', version.length > 0 ? outcomeOf('fail', NDR_TLS, version) : pass(`STARTTLS and a ${facts.tlsVersion ?? 'TLS'} handshake succeed.`)));
  predictions.push(out('CertificateValidation', certificate.length > 0
    ? outcomeOf('fail', version.length > 0 ? NDR_TLS : NDR_CERTIFICATE, certificate)
    : pass(`The chain validates from the presented certificates to ${facts.verdict?.trustAnchor ?? 'a trusted root'}.`)));
  const name = settings.tlsDomain ? nameReason(settings.tlsDomain, facts.leafNames) : null;
  const domain = name ? [...certificate, name] : certificate;
  if (domain.length > 0) {
    const ndr = version.length > 0 ? NDR_TLS : certificate.length > 0 ? NDR_CERTIFICATE : NDR_SUBJECT;
    predictions.push(out('DomainValidation', outcomeOf('fail', ndr, domain)));
  } else if (!settings.tlsDomain) {
    predictions.push(out('DomainValidation', outcomeOf('unknown', undefined, [{ kind: 'input', text: `No TlsDomain given; the certificate names ${facts.leafNames.join(', ') || 'nothing'}.`, fix: 'Run again with --tls-domain <the connector\'s TlsDomain>.' }])));
  } else {
    const match = facts.leafNames.find((n) => settingMatchesCertificateName(settings.tlsDomain ?? '', n));
    predictions.push(out('DomainValidation', pass(`TlsDomain ${settings.tlsDomain} matches the certificate name ${match ?? ''}.`)));
  }
  if (facts.dane && facts.dane.results.some((r) => r.result === 'match' || r.result === 'mismatch')) {
    predictions.push(out('SmtpDaneMode', daneOutcome(facts.dane)));
  }
  return predictions;
}

function daneOutcome(dane: NonNullable<ConnectorFacts['dane']>): Outcome {
  const matched = dane.results.some((r) => r.result === 'match');
  const mismatch = { kind: 'dane' as const, code: 'tlsa-invalid', text: 'No TLSA record matches the presented certificate; with SmtpDaneMode Opportunistic or Mandatory, delivery fails.', fix: 'Publish a TLSA record for the current certificate or key.' };
  if (dane.authenticated) return matched ? pass('A TLSA record matches the presented certificate.') : outcomeOf('fail', '4.7.323 (tlsa-invalid)', [mismatch]);
  if (dane.dnssec === 'insecure') {
    return outcomeOf('unknown', undefined, [{ kind: 'dane', text: 'TLSA records exist but the zone is not DNSSEC-signed (the validating resolver proved it insecure), so Exchange Online ignores them.', fix: 'Sign the zone with DNSSEC if DANE is wanted.' }]);
  }
  // The resolver does not validate: the records may well be signed. A mismatch is not waved through on a guess.
  const unknown = { kind: 'dane' as const, text: 'TLSA records exist, but the resolver used does not validate DNSSEC, so whether they are signed (and used by Exchange Online) is unknown.', fix: 'Check again through a validating resolver (e.g. --dns-server 1.1.1.1, 8.8.8.8 or 9.9.9.9; DNS servers in the app\'s Settings).' };
  return outcomeOf('unknown', matched ? undefined : '4.7.323 (tlsa-invalid) if the zone is signed', matched ? [unknown] : [unknown, mismatch]);
}

/** Inbound connector (this server -> Office 365) identified by TlsSenderCertificateName. */
export function predictInbound(facts: ConnectorFacts, settings: ConnectorSettings): ConnectorPrediction[] {
  const name = settings.tlsSenderCertificateName;
  if (!name) return [];
  const inbound = (outcome: Outcome): ConnectorPrediction => ({ direction: 'inbound', setting: 'TlsSenderCertificateName', ...outcome });
  const assumption = ' (assuming the server uses this certificate when it sends to Office 365)';
  if (facts.reached !== 'ok' || !facts.tlsEstablished || !facts.verdict) {
    return [inbound(outcomeOf('unknown', undefined, [{ kind: 'connection', text: 'No certificate could be read from the server.', fix: 'Fix the TLS problem reported above, then probe again.' }]))];
  }
  const ndr = '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 (OnPremises connector) / 550 5.7.51 TenantInboundAttribution (Partner connector restricted to the certificate)';
  const reasons: PredictionReason[] = [...tlsVersionReasons(facts), ...certificateReasons(facts.verdict)];
  const match = facts.leafNames.find((n) => settingMatchesCertificateName(name, n));
  if (!match) {
    reasons.push({
      kind: 'name', code: 'SubjectMismatch',
      text: `TlsSenderCertificateName ${name} matches no name on the certificate (${facts.leafNames.join(', ') || 'none'})${assumption}.`,
      fix: `Set the inbound connector's TlsSenderCertificateName to a name on the certificate (Set-InboundConnector -TlsSenderCertificateName ${facts.leafNames[0] ?? '<name>'}), or install a certificate that names ${name}.`,
    });
  }
  const covered = settings.acceptedDomains && settings.acceptedDomains.length > 0 ? coveredByAcceptedDomain(name, settings.acceptedDomains) : undefined;
  if (settings.acceptedDomains && settings.acceptedDomains.length > 0 && !covered) {
    reasons.push({
      kind: 'accepted-domain',
      text: `${name} is not one of the accepted domains (${settings.acceptedDomains.join(', ')}); Exchange Online cannot attribute the mail to your tenant.`,
      fix: `Use a certificate name within an accepted domain, or add ${name.replace(/^\*\./, '')} as an accepted domain.`,
    });
  }
  if (reasons.length > 0) return [inbound(outcomeOf('fail', ndr, reasons, match ? `The certificate names ${match}, but: ` : ''))];
  return [inbound(pass(covered
    ? `The certificate names ${match}, and ${name} is within the accepted domain ${covered}${assumption}.`
    : `The certificate names ${match}${assumption}. Check that ${name} is an accepted domain (--accepted-domain).`))];
}
