/**
 * The benchmark's DNS side, in its own process: the fixture server behind the
 * delay proxy. Prints the proxy's port, then `arrivals <json>` when asked on
 * stdin. Kept out of the measured process so the fixture's own work (dns2's
 * encoding, the proxy's timers) does not count against the check.
 *
 *   node --import tsx bench/support/dns-fixture-process.ts <delayMs>
 */
import { startDnsServer } from '../../test/support/dns-server';
import { FIXTURE_ZONE } from '../../test/support/dns-fixtures';
import { startDnsDelayProxy } from './delay-proxy';

const delayMs = Number(process.argv[2] ?? 50);
const dns = await startDnsServer({ zone: FIXTURE_ZONE });
const proxy = await startDnsDelayProxy({ upstream: { host: '127.0.0.1', port: dns.port }, delayMs });
process.stdout.write(`port ${proxy.port}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  for (const line of text.split('\n')) {
    if (line === 'arrivals') process.stdout.write(`arrivals ${JSON.stringify(proxy.arrivals)}\n`);
  }
});
process.stdin.on('end', () => { void proxy.close().then(() => dns.close()).then(() => process.exit(0)); });
