import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessageAnalysis } from '../../src-main/contract/message';
import { analyzeMessage } from '../../src-main/engine/message/index';
import { buildPlan, parseProfile } from '../../src-main/planner/index';
import { bytes, exchangeNdrText, message, onPremToBob } from './messages';

/**
 * The analyses the renderer tests show, made by the real engine from the test
 * messages. The renderer project cannot load the engine (Node code), so they
 * are saved as JSON under test/fixtures/message/; a unit test checks the
 * saved files are still exactly what the engine says (UPDATE_FIXTURES=1 rewrites them).
 */
export const ANALYSIS_FIXTURES = {
  'anonymous.analysis.json': async () => analyse(bytes(onPremToBob('Anonymous'))),
  'ndr-4.4.317.analysis.json': async () => analyse(bytes(exchangeNdrText('450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch]', { remoteServer: 'mx1.contosobank.com' }))),
  'hostile.analysis.json': async () =>
    analyse(bytes(message([
      ['Received', 'from <b>evil</b>.example (x [192.0.2.66]) by <img src=x onerror=alert(1)> with ESMTP; Tue, 1 Dec 2026 10:00:00 +0000'],
      ['Subject', '<img src=x onerror=alert(1)> \u202eevil'],
      ['Authentication-Results', 'mx.example; spf=fail (<script>window.__pwned=1</script>) smtp.mailfrom=<b>x</b>'],
    ]))),
} as const;

async function analyse(input: Uint8Array): Promise<MessageAnalysis> {
  const profile = parseProfile(readFileSync(fileURLToPath(new URL('../../examples/john-bob-sun.json', import.meta.url)), 'utf8'), 'john-bob-sun.json');
  return analyzeMessage(input, { profile, plan: buildPlan(profile) });
}
