import type { CertificateVerdict, ConnectorPrediction, DaneResult, ProbeFailure } from '../../contract/probe';
import { coveredByAcceptedDomain, settingMatchesCertificateName } from './tls-domain';

/**
 * What Exchange Online connectors would do with the server probed, read from
 * the probe's facts. Pure: no network. Codes and fixes follow
 * shared/reference/exchange-online-connectors.md (section 5).
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
  readonly dane?: { readonly authenticated: boolean; readonly results: readonly DaneResult[] };
  /** The stage that stopped the probe, and how (the probe report's `failure`). */
  readonly failure?: ProbeFailure;
}

export interface ConnectorSettings {
  readonly tlsDomain?: string;
  readonly tlsSenderCertificateName?: string;
  readonly acceptedDomains?: readonly string[];
}

type Outcome = Omit<ConnectorPrediction, 'direction' | 'setting'>;

const pass = (reason: string): Outcome => ({ verdict: 'pass', reason, fix: 'Nothing to do.' });

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
  const fix = 'Fix what the server reports at this step (see the findings and the transcript), then probe again.';
  switch (failure.kind) {
    case 'reply': {
      const reply = failure.reply;
      const code = reply ? `${reply.code}${/^\d\.\d{1,3}\.\d{1,3}/.exec(reply.text)?.[0] ? ` ${/^\d\.\d{1,3}\.\d{1,3}/.exec(reply.text)?.[0]}` : ''}` : '';
      const temporary = reply !== undefined && reply.code >= 400 && reply.code < 500;
      return {
        verdict: 'unknown',
        ...(code ? { ndr: code } : {}),
        reason: `The server answered ${at} with ${reply ? `${reply.code} ${reply.text}` : 'an error'}${temporary ? ': it ends the session, so Exchange Online would queue the message and retry' : ': it ends the session'}; TLS was never reached.`,
        fix: reply?.code === 421 ? 'Check the server\'s load, its connection limits and whether it blocks the address you probe from; a 421 from every sender means mail queues.' : fix,
      };
    }
    case 'timeout':
      return { verdict: 'unknown', reason: `No answer to ${at} in time; a sender gives up and retries later (the message queues), TLS was never reached.`, fix: 'Check the server\'s load and any greeting delay (tarpitting); replies should come within seconds.' };
    case 'reset':
    case 'closed':
      return { verdict: 'unknown', ndr: '450 4.4.318', reason: `The connection was closed abruptly at ${at}; Exchange Online reports this as 4.4.318.`, fix: 'Check firewalls doing SMTP inspection and the server\'s connection limits.' };
    case 'protocol':
    case 'too-long':
      return { verdict: 'unknown', reason: `At ${at} the server sent something that is not a valid SMTP reply; senders give up.`, fix: 'Check that this address and port really serve SMTP.' };
    default:
      return { verdict: 'unknown', reason: `The probe stopped at ${at}: ${failure.detail}`, fix };
  }
}

function connectionOutcome(facts: ConnectorFacts): Outcome | null {
  switch (facts.reached) {
    case 'ok':
      return null;
    case 'refused':
      return { verdict: 'unknown', ndr: '450 4.4.316', reason: 'Connection refused from here; if Exchange Online is refused too, mail queues with 4.4.316.', fix: 'Allow inbound port 25 from the Microsoft 365 address ranges and check the service is running.' };
    case 'timeout':
      return { verdict: 'unknown', ndr: '450 4.4.315', reason: 'Connection timed out from here (this network may block port 25); if Exchange Online times out too, mail queues with 4.4.315.', fix: 'Test from a server that may use port 25; check the firewall allows the Microsoft 365 address ranges.' };
    case 'reset':
    case 'closed':
      return { verdict: 'unknown', ndr: '450 4.4.318', reason: 'The connection was closed abruptly; Exchange Online reports this as 4.4.318.', fix: 'Check firewalls doing SMTP inspection and the server\'s connection limits.' };
    default:
      return { verdict: 'unknown', reason: 'The SMTP conversation did not get far enough to tell.', fix: 'Fix the connection problem reported above, then probe again.' };
  }
}

function tlsOutcome(facts: ConnectorFacts): Outcome | null {
  if (!facts.tlsEstablished) {
    const reason = facts.tlsFailure === 'not-offered' || !facts.starttlsOffered
      ? 'The server does not offer STARTTLS; a connector that requires TLS fails (TLS required but not offered).'
      : facts.tlsFailure === 'rejected' ? 'The server refused STARTTLS.'
        : facts.tlsFailure === 'handshake-timeout' ? 'The TLS handshake never completed.'
          : 'The TLS handshake failed.';
    return { verdict: 'fail', ndr: '450 4.4.317', reason, fix: 'Enable STARTTLS with a working certificate and TLS 1.2 or later on the server.' };
  }
  if (facts.tlsVersion && /^TLSv1(\.[01])?$/.test(facts.tlsVersion)) {
    return { verdict: 'fail', ndr: '450 4.4.317', reason: `The server negotiated ${facts.tlsVersion}; Exchange Online uses TLS 1.2 or later only, so TLS negotiation fails.`, fix: 'Enable TLS 1.2 (and 1.3) on the server.' };
  }
  return null;
}

function certificateValidationOutcome(verdict: CertificateVerdict | null): Outcome | null {
  if (!verdict) return { verdict: 'fail', ndr: '450 4.7.320', reason: 'No certificate was presented.', fix: 'Install a certificate from a public CA.' };
  const reasons: string[] = [];
  if (verdict.chain === 'self-signed') reasons.push('UntrustedRoot: the certificate is self-signed');
  if (verdict.chain === 'untrusted-root') reasons.push('UntrustedRoot: the chain ends at an untrusted root');
  if (verdict.chain === 'invalid') reasons.push(`InvalidChain: ${verdict.pathError?.rule ?? 'the chain breaks a rule of certificate path validation'}`);
  if (verdict.chain === 'incomplete') reasons.push(`UntrustedRoot: missing intermediate (${verdict.missingIssuer ?? 'issuer'}); Exchange Online does not fetch it`);
  if (verdict.chain === 'trusted' && verdict.trustAnchorSource === 'extra') reasons.push('UntrustedRoot: trusted only through a private CA you added (extra CA file), which Exchange Online does not trust');
  if (verdict.expired) reasons.push('Expired: a certificate of the chain has expired');
  if (verdict.notYetValid) reasons.push('NotYetValid: a certificate of the chain is not valid yet');
  if (reasons.length === 0) return null;
  return {
    verdict: 'fail', ndr: '450 4.7.320',
    reason: `Certificate validation would fail: ${reasons.join('; ')}.`,
    fix: verdict.chain === 'incomplete'
      ? 'Configure the server to send its intermediate certificate(s) with the certificate.'
      : 'Install a valid certificate from a public certificate authority, with its full chain.',
  };
}

/** Outbound connector (Office 365 -> this server) for each TlsSettings value, plus DANE when TLSA records exist. */
export function predictOutbound(facts: ConnectorFacts, settings: ConnectorSettings = {}): ConnectorPrediction[] {
  const out = (setting: string, outcome: Outcome): ConnectorPrediction => ({ direction: 'outbound', setting, ...outcome });
  const blocked = stoppedOutcome(facts) ?? connectionOutcome(facts) ?? tlsOutcome(facts);
  const predictions: ConnectorPrediction[] = [];
  predictions.push(out('EncryptionOnly', blocked ?? pass(`STARTTLS and a ${facts.tlsVersion ?? 'TLS'} handshake succeed.`)));
  const certificate = blocked ?? certificateValidationOutcome(facts.verdict);
  predictions.push(out('CertificateValidation', certificate ?? pass(`The chain validates from the presented certificates to ${facts.verdict?.trustAnchor ?? 'a trusted root'}.`)));
  if (certificate) {
    predictions.push(out('DomainValidation', { ...certificate, reason: `${certificate.reason} DomainValidation needs CertificateValidation to pass first.` }));
  } else if (!settings.tlsDomain) {
    predictions.push(out('DomainValidation', { verdict: 'unknown', reason: `No TlsDomain given; the certificate names ${facts.leafNames.join(', ') || 'nothing'}.`, fix: 'Run again with --tls-domain <the connector\'s TlsDomain>.' }));
  } else {
    const match = facts.leafNames.find((name) => settingMatchesCertificateName(settings.tlsDomain ?? '', name));
    predictions.push(out('DomainValidation', match
      ? pass(`TlsDomain ${settings.tlsDomain} matches the certificate name ${match}.`)
      : { verdict: 'fail', ndr: '450 4.4.317 (SubjectMismatch)', reason: `TlsDomain ${settings.tlsDomain} matches no subjectAltName or CN of the certificate (${facts.leafNames.join(', ') || 'none'}).`, fix: `Set the connector's TlsDomain to a name on the certificate (Set-OutboundConnector -TlsDomain ${facts.leafNames[0] ?? '<name>'}), or get a certificate that includes ${settings.tlsDomain}.` }));
  }
  if (facts.dane && facts.dane.results.some((r) => r.result === 'match' || r.result === 'mismatch')) {
    const matched = facts.dane.results.some((r) => r.result === 'match');
    predictions.push(out('SmtpDaneMode', !facts.dane.authenticated
      ? { verdict: 'unknown', reason: 'TLSA records exist but are not DNSSEC-authenticated, so Exchange Online ignores them.', fix: 'Sign the zone with DNSSEC if DANE is wanted.' }
      : matched ? pass('A TLSA record matches the presented certificate.')
        : { verdict: 'fail', ndr: '4.7.323 (tlsa-invalid)', reason: 'No TLSA record matches the presented certificate; with SmtpDaneMode Opportunistic or Mandatory, delivery fails.', fix: 'Publish a TLSA record for the current certificate or key.' }));
  }
  return predictions;
}

/** Inbound connector (this server -> Office 365) identified by TlsSenderCertificateName. */
export function predictInbound(facts: ConnectorFacts, settings: ConnectorSettings): ConnectorPrediction[] {
  const name = settings.tlsSenderCertificateName;
  if (!name) return [];
  const inbound = (outcome: Outcome): ConnectorPrediction => ({ direction: 'inbound', setting: 'TlsSenderCertificateName', ...outcome });
  const assumption = ' (assuming the server uses this certificate when it sends to Office 365)';
  if (facts.reached !== 'ok' || !facts.tlsEstablished || !facts.verdict) {
    return [inbound({ verdict: 'unknown', reason: 'No certificate could be read from the server.', fix: 'Fix the TLS problem reported above, then probe again.' })];
  }
  const results: ConnectorPrediction[] = [];
  const match = facts.leafNames.find((n) => settingMatchesCertificateName(name, n));
  const untrusted = certificateValidationOutcome(facts.verdict);
  if (!match) {
    results.push(inbound({
      verdict: 'fail', ndr: '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 (OnPremises connector) / 550 5.7.51 TenantInboundAttribution (Partner connector restricted to the certificate)',
      reason: `TlsSenderCertificateName ${name} matches no name on the certificate (${facts.leafNames.join(', ') || 'none'})${assumption}.`,
      fix: `Set the inbound connector's TlsSenderCertificateName to a name on the certificate (Set-InboundConnector -TlsSenderCertificateName ${facts.leafNames[0] ?? '<name>'}), or install a certificate that names ${name}.`,
    }));
  } else if (untrusted) {
    results.push(inbound({ verdict: 'fail', ndr: '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36', reason: `The certificate names ${match}, but ${untrusted.reason.replace(/^Certificate validation would fail: /, '')}`, fix: 'Use a certificate from a public certificate authority (with its intermediates) on the sending server.' }));
  } else if (settings.acceptedDomains && settings.acceptedDomains.length > 0) {
    const covered = coveredByAcceptedDomain(name, settings.acceptedDomains);
    results.push(inbound(covered
      ? pass(`The certificate names ${match}, and ${name} is within the accepted domain ${covered}${assumption}.`)
      : { verdict: 'fail', ndr: '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 / 550 5.7.51', reason: `The certificate names ${match}, but ${name} is not one of the accepted domains (${settings.acceptedDomains.join(', ')}); Exchange Online cannot attribute the mail to your tenant.`, fix: `Use a certificate name within an accepted domain, or add ${name.replace(/^\*\./, '')} as an accepted domain.` }));
  } else {
    results.push(inbound(pass(`The certificate names ${match}${assumption}. Check that ${name} is an accepted domain (--accepted-domain).`)));
  }
  return results;
}
