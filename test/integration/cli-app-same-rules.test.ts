import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_SETTINGS, type NetworkSettings } from '../../src-main/contract/api';
import { systemClock } from '../../src-main/engine/clock';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import { createDefaultEngine } from '../../src-main/handlers/default-deps';
import { createMemoryStore, emptyStoreData } from '../../src-main/store/index';
import { runCli } from '../support/run-cli';
import { useTempDirs } from '../support/temp-dirs';

/**
 * The CLI's network options and the app's Settings follow one set of rules
 * (the contract's NetworkSettingsSchema and the one CA-file reader): each bad
 * value below is refused by `mailflow-doctor check` and by the app's
 * `settings:set` handler with the same words; the CLI names the option, the
 * app the field. Nothing is looked up: the input is refused first.
 */
const tempDir = useTempDirs('mailflow-same-rules-');

function appHandlers() {
  return createHandlers({
    mode: 'browser',
    appName: 'Mailflow Doctor',
    version: '0.0.0-test',
    store: createMemoryStore(emptyStoreData()),
    engine: createDefaultEngine(),
    emit: () => undefined,
    clock: systemClock,
  });
}

/** One bad value as the CLI takes it and as the app's settings hold it. */
interface BadValue {
  readonly what: string;
  readonly cli: readonly string[];
  readonly settings: Partial<NetworkSettings>;
}

const BAD: readonly BadValue[] = [
  { what: 'a timeout over 60 s', cli: ['--timeout', '300'], settings: { timeoutSeconds: 300 } },
  { what: 'a zero timeout', cli: ['--timeout', '0'], settings: { timeoutSeconds: 0 } },
  { what: 'a fractional timeout', cli: ['--timeout', '2.5'], settings: { timeoutSeconds: 2.5 } },
  { what: 'a DKIM selector with a dot', cli: ['--dkim-selector', 'a.b'], settings: { dkimSelectors: ['a.b'] } },
  { what: 'a DKIM selector with a space', cli: ['--dkim-selector', 'a b'], settings: { dkimSelectors: ['a b'] } },
  { what: 'a DNS server that is a name', cli: ['--dns-server', 'dns.example'], settings: { dnsServers: ['dns.example'] } },
  { what: 'a DNS server on another port off this computer', cli: ['--dns-server', '192.0.2.1:5353'], settings: { dnsServers: ['192.0.2.1:5353'] } },
  { what: 'DNS over plain HTTP', cli: ['--doh', 'http://127.0.0.1/dns-query'], settings: { doh: 'http://127.0.0.1/dns-query' } },
  { what: 'a HELO name with a space', cli: ['--helo', 'x y', '--no-probe'], settings: { heloName: 'x y' } },
];

describe('the CLI and the app refuse the same network settings with the same message', () => {
  it.each(BAD.map((b) => [b.what, b] as const))('%s', async (_what, bad) => {
    const app = await appHandlers()['settings:set']({ settings: { ...DEFAULT_NETWORK_SETTINGS, ...bad.settings } });
    expect(app.ok).toBe(false);
    if (app.ok) return;
    expect(app.error.code).toBe('INPUT');
    // The app's message is `<field path>: <rule>`; the CLI's `<option> <value>: <rule>`.
    const rule = app.error.message.replace(/^settings\.[\w.]+: /, '');
    expect(rule.length).toBeGreaterThan(5);
    const cli = await runCli(['check', 'contoso.com', ...bad.cli]);
    expect(cli.code).toBe(2);
    expect(cli.err.trim().split('\n')).toHaveLength(1);
    expect(cli.err).toContain(`: ${rule}`);
  });

  it('refuses the same CA files with the same words', async () => {
    const notPem = join(tempDir(), 'notes.txt');
    writeFileSync(notPem, 'not a certificate');
    // One answer for a missing file and a file without a certificate: the settings are no file oracle.
    const said = 'cannot be used: it must be a readable PEM certificate file of at most 1 MB on this computer';
    for (const file of ['/nonexistent/root.pem', notPem]) {
      const app = await appHandlers()['settings:set']({ settings: { ...DEFAULT_NETWORK_SETTINGS, caFiles: [file] } });
      expect(!app.ok && app.error.message).toBe(`The CA file "${file}" ${said}.`);
      const cli = await runCli(['check', 'contoso.com', '--ca-file', file, '--no-probe']);
      expect(cli.code).toBe(2);
      expect(cli.err).toBe(`mailflow-doctor: --ca-file ${file} ${said}.\n`);
    }
  });
});
