/**
 * `npx tsx bench/plan-import.ts`: planning against large connector exports.
 *
 * The case from the security review: one export of about 1 MB with two
 * Partner outbound connectors of 26,000 domains each (overlapping), which took
 * 94 s when the overlap check compared every domain with every other. Also
 * ten such files at once (the most plan:build accepts). Prints the time to
 * import and plan, median of several runs. Target: well under a second.
 */
import { readFileSync } from 'node:fs';
import { buildPlan, importConnectors, parseProfile } from '../src-main/planner/index';
import type { ExistingConnector } from '../src-main/contract/planner';

const DOMAINS = 26_000;
const RUNS = 5;

function partnerExport(seed: number): string {
  const domains = (offset: number) => Array.from({ length: DOMAINS }, (_, i) => `p${seed}-${i + offset}.example`);
  const connector = (name: string, offset: number) => ({
    Name: name, Enabled: true, ConnectorType: 'Partner', ConnectorSource: 'Default', RecipientDomains: domains(offset), SmartHosts: [],
    UseMXRecord: true, TlsSettings: 'EncryptionOnly', IsTransportRuleScoped: false, RouteAllMessagesViaOnPremises: false, TestMode: false,
  });
  // The second connector shares half of the first one's domains.
  return JSON.stringify([connector(`Bulk partners ${seed} A`, 0), connector(`Bulk partners ${seed} B`, DOMAINS / 2)]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(label: string, files: readonly string[]): void {
  const profile = parseProfile(readFileSync(new URL('../examples/john-bob-sun.json', import.meta.url), 'utf8'), 'john-bob-sun.json');
  const times: number[] = [];
  let gaps = 0;
  for (let run = 0; run < RUNS + 1; run++) {
    const start = performance.now();
    const existing: ExistingConnector[] = files.flatMap((text, i) => importConnectors(`export-${i}.json`, text));
    const plan = buildPlan(profile, existing);
    const ms = performance.now() - start;
    gaps = plan.gaps.length;
    if (run > 0) times.push(ms); // the first run warms up the JIT
  }
  const kb = files.reduce((sum, f) => sum + f.length, 0) / 1024;
  console.log(`${label}: ${files.length} file(s), ${Math.round(kb)} KB, ${files.length * 2 * DOMAINS} domains: import + plan median ${median(times).toFixed(0)} ms (${gaps} gaps) — target < 1000 ms ${median(times) < 1000 ? 'MET' : 'NOT MET'}`);
}

measure('one large export', [partnerExport(1)]);
measure('ten large exports', Array.from({ length: 10 }, (_, i) => partnerExport(i + 1)));
