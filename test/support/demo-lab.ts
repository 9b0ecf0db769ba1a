/**
 * A mail lab on loopback, for trying the command line and the app without
 * touching the network (and for the README's sample output):
 *
 *   npx tsx test/support/demo-lab.ts
 *
 * It serves the test fixture zones plus two lab domains from a DNS server on
 * 127.0.0.1, and real SMTP servers with STARTTLS on 127.0.0.21-23 port 2525,
 * with certificates from a lab CA made at start (written to a temp folder so
 * `--ca-file` can trust it). It prints the commands to try and runs until
 * Ctrl+C.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_ZONE } from './dns-fixtures';
import { startDnsServer, type Zone } from './dns-server';
import { createCa, fullChain, issueCert, selfSigned } from './pki';
import { startSmtpFixture } from './smtp-servers';

const SMTP_PORT = 2525;

const LAB_ZONE: Zone = {
  'contoso.lab': [
    { type: 'MX', preference: 10, exchange: 'mx1.contoso.lab' },
    { type: 'MX', preference: 20, exchange: 'mx2.contoso.lab' },
    { type: 'TXT', strings: ['v=spf1 mx include:spf.protection.outlook.com -all'] },
  ],
  'mx1.contoso.lab': [{ type: 'A', address: '127.0.0.21' }],
  'mx2.contoso.lab': [{ type: 'A', address: '127.0.0.22' }],
  '21.0.0.127.in-addr.arpa': [{ type: 'PTR', target: 'mx1.contoso.lab' }],
  '22.0.0.127.in-addr.arpa': [{ type: 'PTR', target: 'mx2.contoso.lab' }],
  '_dmarc.contoso.lab': [{ type: 'TXT', strings: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.lab'] }],
  '_smtp._tls.contoso.lab': [{ type: 'TXT', strings: ['v=TLSRPTv1; rua=mailto:tlsrpt@contoso.lab'] }],
  'contosobank.lab': [
    { type: 'MX', preference: 10, exchange: 'mx.contosobank.lab' },
    { type: 'TXT', strings: ['v=spf1 ip4:127.0.0.23 -all'] },
  ],
  'mx.contosobank.lab': [{ type: 'A', address: '127.0.0.23' }],
  // Overrides the fixture zone's PTR for this address, so the lab's reverse DNS names the lab host.
  '23.0.0.127.in-addr.arpa': [{ type: 'PTR', target: 'mx.contosobank.lab' }],
  '_dmarc.contosobank.lab': [{ type: 'TXT', strings: ['v=DMARC1; p=reject; rua=mailto:dmarc@contosobank.lab'] }],
};

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'mailflow-lab-'));
  const root = createCa({ commonName: 'Contoso Lab Root' });
  const issuing = createCa({ commonName: 'Contoso Lab Issuing CA', parent: root });
  const caFile = join(folder, 'lab-root.pem');
  writeFileSync(caFile, root.certPem);

  const mx1 = issueCert(issuing, { commonName: 'mx1.contoso.lab' });
  const mx2 = issueCert(issuing, { commonName: 'mx2.contoso.lab' });
  const bank = selfSigned({ commonName: 'gateway.contosobank.lab' });
  const servers = await Promise.all([
    startSmtpFixture({ listenHost: '127.0.0.21', listenPort: SMTP_PORT, name: 'mx1.contoso.lab', key: mx1.keyPem, cert: fullChain(mx1, issuing.certPem) }),
    // Sends its certificate without the intermediate: "missing intermediate".
    startSmtpFixture({ listenHost: '127.0.0.22', listenPort: SMTP_PORT, name: 'mx2.contoso.lab', key: mx2.keyPem, cert: mx2.certPem }),
    startSmtpFixture({ listenHost: '127.0.0.23', listenPort: SMTP_PORT, name: 'gateway.contosobank.lab', key: bank.keyPem, cert: bank.certPem }),
  ]);
  const dns = await startDnsServer({ zone: { ...FIXTURE_ZONE, ...LAB_ZONE } });

  const lab = { dnsServer: dns.address, smtpPort: SMTP_PORT, caFile };
  writeFileSync(join(folder, 'lab.json'), JSON.stringify(lab, null, 2));
  const cli = 'npx mailflow-doctor';
  process.stdout.write(
    [
      `Mail lab running (details in ${join(folder, 'lab.json')}). Try:`,
      `  ${cli} check contoso.lab --dns-server ${dns.address} --port ${SMTP_PORT} --ca-file ${caFile}`,
      `  ${cli} probe mx2.contoso.lab:${SMTP_PORT} --dns-server ${dns.address} --ca-file ${caFile}`,
      `  ${cli} probe mx.contosobank.lab:${SMTP_PORT} --dns-server ${dns.address} --tls-domain '*.contosobank.lab'`,
      `  ${cli} check good.test --dns-server ${dns.address} --no-probe`,
      `  ${cli} dns contoso.lab MX --dns-server ${dns.address}`,
      `  ${cli} spf contoso.lab --ip 40.93.7.1 --dns-server ${dns.address}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void Promise.all([dns.close(), ...servers.map((s) => s.close())]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
