import type { Device, DeviceRecommendation } from '../contract/planner';

/**
 * Picks one of the three ways a printer, scanner or application sends mail
 * through Office 365 (fact sheet §2, the device table):
 * - SMTP AUTH client submission when it can log in over TLS 1.2 (works for
 *   anyone, no connector) and there are Exchange Online mailboxes to log in as;
 * - direct send when it only mails internal recipients and cannot log in;
 * - SMTP relay through a connector when it must reach external recipients and
 *   cannot log in: needs a static IP or a certificate.
 */
export function recommendDevice(device: Device, hasExchangeOnlineMailboxes: boolean, acceptedDomains: readonly string[] = []): DeviceRecommendation {
  const mxHost = `Your MX host (the one your MX record names, e.g. ${exampleMxHost(acceptedDomains)}), port 25; TLS optional.`;
  const spf = device.staticPublicIp ? `Add ${device.staticPublicIp} to your SPF record.` : undefined;
  if (hasExchangeOnlineMailboxes && device.supportsAuth && device.supportsTls12) {
    return {
      device: device.name,
      option: 'smtp-auth',
      feasible: true,
      reason: 'It can log in and use TLS 1.2, so it can send to anyone, inside or outside your organisation, with no connector.',
      requirements: [
        'Server smtp.office365.com, port 587 (port 465 is not supported); use the host name, never an IP address.',
        'TLS 1.2 or later.',
        'A licensed Exchange Online mailbox to log in as, with SMTP AUTH enabled for it.',
        'Limits: 10,000 recipients a day, 30 messages a minute.',
        'Basic authentication (user name and password) for SMTP AUTH is being retired in Exchange Online in favour of OAuth: if the device can only do basic authentication, plan SMTP relay through a connector (static IP or certificate) instead. Check Microsoft\'s current announcement for the date.',
      ],
    };
  }
  const why = !hasExchangeOnlineMailboxes
    ? 'There are no Exchange Online mailboxes to log in with (SMTP AUTH needs one)'
    : !device.supportsAuth
      ? 'It cannot log in (no SMTP AUTH)'
      : 'It cannot use TLS 1.2, which SMTP AUTH requires';
  if (!device.externalRecipients && hasExchangeOnlineMailboxes) {
    return {
      device: device.name,
      option: 'direct-send',
      feasible: true,
      reason: `${why}, and it only mails people in your organisation: direct send to your MX host needs no connector.`,
      requirements: [
        mxHost,
        'Internal recipients only (your accepted domains); mail to anyone else is refused.',
        spf ?? 'A static public IP is recommended, added to SPF; otherwise its mail may be marked as spam.',
        'Direct send must not be turned off: once Set-OrganizationConfig -RejectDirectSend $true is set, anonymous mail from your own domains that matches no connector is refused (550 5.7.68), and the device then needs a Partner inbound connector that recognises it (by certificate or static IP), or SMTP relay / SMTP AUTH.',
      ],
    };
  }
  const identity = device.staticPublicIp
    ? `Its static public IP ${device.staticPublicIp}, listed in the connector${spf ? ' and in SPF' : ''}.`
    : device.certificateName
      ? `Its certificate ${device.certificateName}, whose name must be an accepted domain or covered by one.`
      : 'MISSING: a static public IP or a certificate; without one Office 365 cannot tell its mail from anyone else\'s.';
  const feasible = device.staticPublicIp !== undefined || device.certificateName !== undefined;
  return {
    device: device.name,
    option: 'smtp-relay',
    feasible,
    reason: `${why}${device.externalRecipients ? ', and it must reach recipients outside your organisation' : ''}: SMTP relay through a connector${hasExchangeOnlineMailboxes ? '' : ' (or let it send through your own mail server, which has its own connector)'}.`,
    requirements: [
      mxHost,
      "One inbound connector From: Your organization's email server, To: Office 365 that recognises it.",
      identity,
      'The From address in one of your accepted domains.',
    ],
  };
}

/** The usual Office 365 MX host of the first accepted domain (`contoso.com` -> `contoso-com.mail.protection.outlook.com`). */
export function exampleMxHost(acceptedDomains: readonly string[]): string {
  const domain = acceptedDomains.find((d) => !d.includes('*')) ?? 'contoso.com';
  return `${domain.trim().toLowerCase().replace(/\.$/, '').replace(/\./g, '-')}.mail.protection.outlook.com`;
}
