import { defineFindings } from '../findings';

/** What can go wrong (or right) while talking SMTP to one server. */
export const SMTP_FINDINGS = defineFindings({
  SMTP_CONNECT_REFUSED: {
    area: 'smtp', severity: 'fail',
    explanation: 'The address answered but nothing accepts connections on this port: the mail service is not running, or a firewall actively rejects the connection. Exchange Online would report 450 4.4.316 (connection refused).',
    fix: 'Check that the mail server listens on this port and that the firewall allows inbound SMTP from the sending networks (for Exchange Online: the Microsoft 365 address ranges).',
  },
  SMTP_CONNECT_TIMEOUT: {
    area: 'smtp', severity: 'fail',
    explanation: 'No answer at all to the connection attempt: packets are silently dropped by a firewall on the way, the server is down, or this network blocks the port outbound. Exchange Online would report 450 4.4.315 (connection timed out).',
    fix: 'Test from another network or from a server; check the server\'s firewall and that the address is the right one.',
  },
  SMTP_HOST_UNREACHABLE: {
    area: 'smtp', severity: 'fail',
    explanation: 'This computer has no route to the address (for example an IPv6 address on a network without IPv6, or a router reported the host unreachable).',
    fix: 'Test from a network that can reach this address family; if the server really has no IPv6 connectivity, remove its AAAA record.',
  },
  SMTP_CONNECTION_RESET: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server (or something in between, such as a firewall doing SMTP inspection) reset the connection. Exchange Online reports this as 450 4.4.318 (connection closed abruptly).',
    fix: 'Check firewalls or security appliances that inspect SMTP, connection limits and IP blocklists on the server.',
  },
  SMTP_CONNECTION_CLOSED: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server closed the connection before the SMTP conversation was complete.',
    fix: 'Check the mail server\'s logs for why it dropped the connection (blocklist, connection limits, a crashed service).',
  },
  PORT25_BLOCKED: {
    area: 'smtp', severity: 'warn',
    explanation: 'Port 25 timed out to every mail server of the domain. That usually means this network blocks outgoing port 25 (home and many corporate networks do), not that every server is down.',
    fix: 'Run the check from a server or network that may send on port 25, or probe port 587 (`mailflow-doctor probe <host>:587`, or One mail server on port 587 in the app) to see whether the server answers at all.',
  },
  SMTP_BANNER_TIMEOUT: {
    area: 'smtp', severity: 'fail',
    explanation: 'The connection opened but the server did not send its 220 greeting in time. Servers that delay the banner on purpose (tarpitting) or are overloaded look like this; senders give up.',
    fix: 'Check the server\'s load and any greeting delay or tarpit settings; the greeting should arrive within a few seconds.',
  },
  SMTP_REPLY_TOO_LONG: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server sent a reply line far longer than SMTP allows (512 bytes per line), or more data than any reply needs. This is a broken or hostile server; the probe stopped reading.',
    fix: 'Check what is really listening on this address and port (it may not be a mail server).',
  },
  SMTP_REPLY_TOO_MANY_LINES: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server kept sending continuation lines (`220-`, `250-`) without ever finishing the reply. The probe stopped reading.',
    fix: 'Check what is really listening on this address and port; a real mail server ends its replies.',
  },
  SMTP_PROTOCOL_ERROR: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server sent something that is not an SMTP reply (no three-digit code), or a reply that makes no sense at this point of the conversation.',
    fix: 'Check that this address and port really serve SMTP (not HTTP, not a TLS-only port, not a proxy).',
  },
  SMTP_SERVICE_UNAVAILABLE: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server said it will not serve this connection (421 or 554): it is shutting down, overloaded, or refuses this client (for example a blocklisted IP address).',
    fix: 'Read the server\'s reply text; check its load, its connection limits and whether it blocks the address you test from.',
  },
  SMTP_EHLO_REJECTED: {
    area: 'smtp', severity: 'warn',
    explanation: 'The server refused EHLO, so it offers no extensions (no STARTTLS, no SIZE). The probe fell back to HELO.',
    fix: 'Enable ESMTP on the server; without EHLO there is no STARTTLS and no TLS.',
  },
  SMTP_HOSTNAME_DIFFERS: {
    area: 'smtp', severity: 'info',
    explanation: 'The name the server gives in its greeting or EHLO reply is not the MX host name. That is common (load balancers, hosted services) and not an error, but it helps to know which machine answered.',
    fix: 'Nothing needed. If you expected a different server, check the MX record and any NAT or load balancer in front of it.',
  },
  STARTTLS_NOT_OFFERED: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server does not offer STARTTLS, so mail to it travels unencrypted. Exchange Online connectors that require TLS fail with 450 4.4.317.',
    fix: 'Install a certificate and enable STARTTLS on the server\'s port 25 receive connector (Postfix: smtpd_tls_security_level = may).',
  },
  STARTTLS_REJECTED: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server offered STARTTLS (or was asked anyway) but refused to start TLS, typically 454 "TLS not available" because its certificate is missing or broken.',
    fix: 'Check the server\'s TLS certificate configuration and its logs at the time of the probe.',
  },
  STARTTLS_OK: {
    area: 'smtp', severity: 'ok',
    explanation: 'The server offers STARTTLS and the TLS handshake succeeded.',
    fix: 'Nothing to do.',
  },
  TLS_REQUIRED: {
    area: 'smtp', severity: 'info',
    explanation: 'The server refuses mail over plain text and asks for STARTTLS first, as a server with mandatory TLS should.',
    fix: 'Nothing to do, as long as every sender of this server can do TLS.',
  },
  PLAINTEXT_ACCEPTED: {
    area: 'smtp', severity: 'warn',
    explanation: 'You asked for mandatory TLS, but the server accepted MAIL FROM and RCPT TO over plain text.',
    fix: 'Require TLS on the server\'s receive connector (Postfix: smtpd_tls_security_level = encrypt; Exchange: RequireTLS on the receive connector) if senders must use TLS.',
  },
  SMTP_RECIPIENT_ACCEPTED: {
    area: 'smtp', severity: 'ok',
    explanation: 'The server accepted the recipient at RCPT TO (no message was sent: the probe stopped before DATA).',
    fix: 'Nothing to do.',
  },
  SMTP_RECIPIENT_REJECTED: {
    area: 'smtp', severity: 'fail',
    explanation: 'The server refused the recipient. From Office 365, `550 5.4.1 Recipient address rejected: Access denied` means Directory-Based Edge Blocking: the address is not in the directory.',
    fix: 'Check the address; for Office 365, create the recipient (or a mail contact / mail user), or set the domain to internal relay if mailboxes exist elsewhere.',
  },
  SMTP_SENDER_REJECTED: {
    area: 'smtp', severity: 'warn',
    explanation: 'The server refused the MAIL FROM of the probe, so the recipient could not be tested.',
    fix: 'Probe with a sender the server accepts, or read the reply text for the reason.',
  },
  SMTP_PROBE_TIMEOUT: {
    area: 'smtp', severity: 'fail',
    explanation: 'A step of the SMTP conversation did not finish within its deadline.',
    fix: 'Check the server\'s load and any delays it adds; retry with a longer timeout (--timeout; Settings in the app).',
  },
  SMTP_PROBE_CANCELLED: {
    area: 'smtp', severity: 'info',
    explanation: 'The probe was cancelled before it finished.',
    fix: 'Run it again.',
  },
  SMTP_AUTH_OFFERED: {
    area: 'smtp', severity: 'info',
    explanation: 'The server offers SMTP authentication (needed on submission ports such as 587).',
    fix: 'Nothing to do; on port 25 of an internet-facing MX, AUTH should only be offered after STARTTLS.',
  },
  SMTP_ADDRESSES_CAPPED: {
    area: 'smtp', severity: 'warn',
    explanation: 'The host has more addresses than the tool probes (the first few, in DNS order, IPv4 first). Real senders stop early too: Postfix tries at most 5 addresses per delivery (smtp_mx_address_limit) and opens at most 2 sessions (smtp_mx_session_limit), so the addresses beyond them are rarely used. A long address list is usually a mistake, or a zone built to exhaust senders.',
    fix: 'Keep a handful of addresses per mail host; probe a specific address with `mailflow-doctor probe <address>` to test one of the others.',
  },
});
