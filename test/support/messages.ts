import { burn } from '@kenjiuno/msgreader/lib/Burner';

/**
 * Messages made for the message-trace tests, written from the formats the
 * documents describe (RFC 5321 §4.4 Received fields, RFC 8601
 * Authentication-Results, RFC 3464 delivery status, Exchange Online's NDR
 * text and X-MS-Exchange-* headers), and an Outlook .msg burned in test
 * setup with msgreader's own CFB writer, so no binary fixture is shipped.
 */
export const CRLF = '\r\n';

export function message(fields: ReadonlyArray<readonly [string, string]>, body = 'Hello.'): string {
  return `${fields.map(([name, value]) => `${name}: ${value}`).join(CRLF)}${CRLF}${CRLF}${body}${CRLF}`;
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const CIPHER = '(version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)';

/** Exchange Online's internal hops after EOP, identical in every test message. */
export const MICROSOFT_INTERNAL_HOPS: ReadonlyArray<readonly [string, string]> = [
  ['Received', `from DB9PR01CA0012.eurprd01.prod.exchangelabs.com (2603:10a6:20b:1::40) by DB9PR01MB1234.eurprd01.prod.exchangelabs.com${CRLF} (2603:10a6:10:2a::11) with Microsoft SMTP Server ${CIPHER} id 15.20.8700.12; Tue, 1 Dec 2026 10:00:03 +0000`],
  ['Received', `from AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com (2603:10a6:20b:1::20) by DB9PR01CA0012.eurprd01.prod.exchangelabs.com (2603:10a6:20b:1::40) with Microsoft SMTP Server ${CIPHER} id 15.20.8700.12 via Frontend Transport; Tue, 1 Dec 2026 10:00:02 +0000`],
];

/** John's message from the on-premises Exchange 2013 server to Bob, as Exchange Online stamps it; `authAs` picks connector or anonymous. */
export function onPremToBob(authAs: 'Internal' | 'Anonymous', options: { readonly tls?: boolean; readonly build?: string } = {}): string {
  const tls = options.tls ?? true;
  const internal = authAs === 'Internal';
  return message([
    ...MICROSOFT_INTERNAL_HOPS,
    ['Authentication-Results', internal
      ? 'spf=pass (sender IP is 203.0.113.25) smtp.mailfrom=onprem.contoso.com; dkim=none (message not signed) header.d=none;dmarc=pass action=none header.from=onprem.contoso.com;compauth=pass reason=100'
      : 'spf=softfail (sender IP is 203.0.113.25) smtp.mailfrom=onprem.contoso.com; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=onprem.contoso.com;compauth=fail reason=601'],
    ['Received', `from mail.contoso.com (203.0.113.25) by AM0EUR02FT012.mail.protection.outlook.com (10.13.1.1) with Microsoft SMTP Server${tls ? ` ${CIPHER}` : ''} id 15.20.8700.12 via Frontend Transport; Tue, 1 Dec 2026 10:00:01 +0000`],
    ['Received', `from EX2013.onprem.contoso.com (10.0.0.5) by EX2013.onprem.contoso.com (10.0.0.5) with Microsoft SMTP Server ${CIPHER} id ${options.build ?? '15.0.1497.2'} via Frontend Transport; Tue, 1 Dec 2026 09:59:58 +0000`],
    ['From', 'John <john@onprem.contoso.com>'],
    ['To', 'Bob <bob@contoso.com>'],
    ['Subject', 'Quarterly results'],
    ['X-MS-Exchange-Organization-AuthAs', authAs],
    ['X-MS-Exchange-Organization-AuthSource', 'AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com'],
    ['X-MS-Exchange-Organization-MessageDirectionality', internal ? 'Originating' : 'Incoming'],
    ['X-MS-Exchange-Organization-SCL', internal ? '-1' : '5'],
    ['X-MS-Exchange-CrossTenant-AuthAs', authAs],
    ['X-MS-Exchange-CrossTenant-FromEntityHeader', internal ? 'HybridOnPrem' : 'Internet'],
    ['X-MS-Exchange-CrossTenant-OriginalArrivalTime', '01 Dec 2026 10:00:01.1234 (UTC)'],
    ['X-Forefront-Antispam-Report', `CIP:203.0.113.25;CTRY:NL;LANG:en;SCL:${internal ? '-1' : '5'};SRV:;IPV:NLI;SFV:${internal ? 'SKI' : 'SPM'};H:mail.contoso.com;PTR:mail.contoso.com;CAT:${internal ? 'NONE' : 'SPOOF'};SFS:;DIR:${internal ? 'INT' : 'INB'};`],
    ['X-Microsoft-Antispam', 'BCL:0;'],
  ]);
}

/** A message from the partner ContosoBank through its Postfix gateway; `tls` false makes the hop into EOP plain ESMTP. */
export function partnerToBob(tls: boolean): string {
  const entry = tls
    ? `from mail.contosobank.com (198.51.100.7) by AM0EUR02FT012.mail.protection.outlook.com (10.13.1.1) with Microsoft SMTP Server ${CIPHER} id 15.20.8700.12 via Frontend Transport; Tue, 1 Dec 2026 10:00:01 +0000`
    : 'from mail.contosobank.com (198.51.100.7) by AM0EUR02FT012.mail.protection.outlook.com (10.13.1.1) with Microsoft SMTP Server id 15.20.8700.12 via Frontend Transport; Tue, 1 Dec 2026 10:00:01 +0000';
  return message([
    ...MICROSOFT_INTERNAL_HOPS,
    ['Authentication-Results', 'spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=contosobank.com; dkim=pass (signature was verified) header.d=contosobank.com;dmarc=pass action=none header.from=contosobank.com;compauth=pass reason=100'],
    ['Received', entry],
    ['Received', `from app1.internal.contosobank.com (app1.internal.contosobank.com [10.1.2.3])${CRLF}\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)${CRLF}\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)${CRLF}\t(No client certificate requested)${CRLF}\tby mail.contosobank.com (Postfix) with ESMTPS id 4ZK9X12abcz9sT${CRLF}\tfor <bob@contoso.com>; Tue,  1 Dec 2026 10:59:59 +0100 (CET)`],
    ['DKIM-Signature', 'v=1; a=rsa-sha256; c=relaxed/relaxed; d=contosobank.com; s=s2048; h=from:to:subject; bh=abc=; b=def='],
    ['From', 'Alice <alice@contosobank.com>'],
    ['To', 'bob@contoso.com'],
    ['Subject', 'Statement'],
    ['X-MS-Exchange-Organization-AuthAs', 'Partner'],
    ['X-MS-Exchange-Organization-AuthSource', 'AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com'],
    ['X-MS-Exchange-Organization-MessageDirectionality', 'Incoming'],
    ['X-MS-Exchange-CrossTenant-FromEntityHeader', 'Internet'],
    ['X-Forefront-Antispam-Report', 'CIP:198.51.100.7;CTRY:GB;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:mail.contosobank.com;PTR:mail.contosobank.com;CAT:NONE;SFS:(13230040);DIR:INB;'],
    ['X-Microsoft-Antispam', 'BCL:0;ARA:13230040;'],
  ]);
}

/** A minimal Outlook .msg (a CFB file with the subject, body and transport headers as UTF-16 properties), burned with msgreader's writer. */
export function makeMsg(headers: string, subject: string, body = ''): Uint8Array {
  const utf16 = (text: string) => Uint8Array.from(Buffer.from(text, 'utf16le'));
  const streams = [
    { name: '__substg1.0_007D001F', data: utf16(headers) },
    { name: '__substg1.0_0037001F', data: utf16(subject) },
    ...(body ? [{ name: '__substg1.0_1000001F', data: utf16(body) }] : []),
  ];
  return burn([
    { name: 'Root Entry', type: 5, length: 0, children: streams.map((_, i) => i + 1) },
    ...streams.map((s) => ({ name: s.name, type: 2, length: s.data.length, binaryProvider: () => s.data })),
  ]);
}

/** The human-readable NDR Exchange Online writes, with the original headers below it. */
export function exchangeNdrText(reply: string, options: { readonly recipient?: string; readonly remoteServer?: string; readonly original?: string } = {}): string {
  const recipient = options.recipient ?? 'alice@contosobank.com';
  return [
    'Delivery has failed to these recipients or groups:',
    '',
    recipient,
    'The email system had a problem processing this message. It won\'t try to deliver this message again.',
    '',
    'Diagnostic information for administrators:',
    '',
    'Generating server: DB9PR01MB1234.eurprd01.prod.exchangelabs.com',
    '',
    recipient,
    ...(options.remoteServer ? [`Remote server: ${options.remoteServer}`] : []),
    `Remote Server returned '${reply}'`,
    '',
    'Original message headers:',
    '',
    options.original ?? 'Received: from DB9PR01MB1234.eurprd01.prod.exchangelabs.com ([fe80::1]) by DB9PR01MB1234.eurprd01.prod.exchangelabs.com ([fe80::1%5]) with mapi id 15.20.8700.012; Tue, 1 Dec 2026 10:00:00 +0000\r\nFrom: Bob <bob@contoso.com>\r\nTo: <alice@contosobank.com>\r\nSubject: Statement request',
  ].join(CRLF);
}

/** An RFC 3464 report (multipart/report with message/delivery-status and text/rfc822-headers). */
export function deliveryStatusReport(status: string, diagnostic: string, options: { readonly remoteMta?: string; readonly recipient?: string } = {}): string {
  const recipient = options.recipient ?? 'alice@contosobank.com';
  const b = 'report-boundary-1';
  return [
    'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com>',
    'To: <bob@contoso.com>',
    'Subject: Undeliverable: Statement request',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    'MIME-Version: 1.0',
    '',
    `--${b}`,
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    'Your message couldn\'t be delivered.',
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns;DB9PR01MB1234.eurprd01.prod.exchangelabs.com',
    'Received-From-MTA: dns;DB9PR01MB1234.eurprd01.prod.exchangelabs.com',
    'Arrival-Date: Tue, 1 Dec 2026 10:00:00 +0000',
    '',
    `Final-Recipient: rfc822;${recipient}`,
    'Action: failed',
    `Status: ${status}`,
    ...(options.remoteMta ? [`Remote-MTA: dns;${options.remoteMta}`] : []),
    `Diagnostic-Code: smtp;${diagnostic}`,
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    'Received: from DB9PR01MB1234.eurprd01.prod.exchangelabs.com ([fe80::1]) by DB9PR01MB1234.eurprd01.prod.exchangelabs.com ([fe80::1%5]) with mapi id 15.20.8700.012; Tue, 1 Dec 2026 10:00:00 +0000',
    'From: Bob <bob@contoso.com>',
    `To: <${recipient}>`,
    'Subject: Statement request',
    '',
    `--${b}--`,
    '',
  ].join(CRLF);
}
