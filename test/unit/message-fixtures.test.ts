import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MessageAnalysisSchema } from '../../src-main/contract/message';
import { ANALYSIS_FIXTURES } from '../support/message-analyses';

/** The renderer tests' analyses are the engine's real output, kept in step (UPDATE_FIXTURES=1 rewrites them). */
describe('message analysis fixtures for the renderer tests', () => {
  it.each(Object.keys(ANALYSIS_FIXTURES))('%s is what the engine says now', async (name) => {
    const analysis = MessageAnalysisSchema.parse(await ANALYSIS_FIXTURES[name as keyof typeof ANALYSIS_FIXTURES]());
    const file = fileURLToPath(new URL(`../fixtures/message/${name}`, import.meta.url));
    const text = `${JSON.stringify(analysis, null, 2)}\n`;
    if (process.env['UPDATE_FIXTURES'] === '1') writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
