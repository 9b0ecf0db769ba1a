/**
 * The partner lab on loopback, for trying `mailflow-doctor partners` and the
 * Partners screen by hand (and for the README's sample output):
 *
 *   npx tsx test/support/partner-demo-lab.ts
 *
 * Starts the partner lab (test/support/partner-lab.ts: twelve partner domains,
 * one per way a partner can pass or fail, SMTP servers on 127.0.0.41-50),
 * writes partners.csv and the lab CA to a temp folder, prints the commands to
 * try and runs until Ctrl+C.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPartnerLab } from './partner-lab';

const lab = await startPartnerLab();
const folder = mkdtempSync(join(tmpdir(), 'mailflow-partner-lab-'));
writeFileSync(join(folder, 'partners.csv'), `${lab.csv}\n`);
writeFileSync(join(folder, 'lab-ca.pem'), lab.ca.certPem);
const common = `--dns-server ${lab.dns.address} --port ${lab.port} --public-ca ${join(folder, 'lab-ca.pem')}`;
process.stdout.write(`Partner lab running: DNS ${lab.dns.address}, SMTP port ${lab.port} on 127.0.0.41-50.

Try:
  npx mailflow-doctor partners ${join(folder, 'partners.csv')} ${common}
  npx mailflow-doctor partners ${join(folder, 'partners.csv')} ${common} --format md
  npx mailflow-doctor partners ${join(folder, 'partners.csv')} ${common} --format ps1 --out connectors.ps1
  npx mailflow-doctor partners ${join(folder, 'partners.csv')} ${common} --format html --out evidence.html

Ctrl+C stops the lab.
`);
process.on('SIGINT', () => { void lab.close().then(() => process.exit(0)); });
