import type { Profile } from '../../../src-main/contract/planner';

/**
 * The article's example organisation (connectors-overview.txt): John has a
 * mailbox on an Exchange 2013 server the company runs, Bob has one in Office
 * 365 (Exchange Online, no hybrid wizard), Sun is on the Internet; ContosoBank
 * is a partner with TLS both ways; a printer sends notifications.
 *
 * The renderer cannot read files, so this is a copy of
 * `examples/john-bob-sun.json`; a test keeps the two equal.
 */
export const EXAMPLE_PROFILE: Profile = {
  "name": "Contoso (the article's John, Bob and Sun)",
  "acceptedDomains": [
    "contoso.com",
    "onprem.contoso.com"
  ],
  "subscription": "exchange-online",
  "ownServers": [
    {
      "name": "EX2013",
      "kind": "exchange-2010-or-later",
      "hostNames": [
        "mail.contoso.com"
      ],
      "publicIps": [
        "203.0.113.25"
      ],
      "certificateName": "mail.contoso.com",
      "domains": [
        "onprem.contoso.com"
      ]
    }
  ],
  "hybridWizardCompleted": false,
  "mailboxes": "split",
  "mxPointsTo": "office365",
  "partners": [
    {
      "name": "ContosoBank",
      "domains": [
        "contosobank.com"
      ],
      "requireTlsInbound": true,
      "requireTlsOutbound": true,
      "certificateCheck": "ca-issued",
      "ipRanges": [],
      "smartHosts": []
    }
  ],
  "devices": [
    {
      "name": "Printer 2nd floor",
      "externalRecipients": false,
      "staticPublicIp": "203.0.113.40",
      "supportsTls12": false,
      "supportsAuth": false
    }
  ]
};
