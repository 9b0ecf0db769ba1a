import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src-main/cli/main';

describe('the command line', () => {
  it('is named mailflow-doctor and documents --debug', () => {
    const program = buildProgram();
    expect(program.name()).toBe('mailflow-doctor');
    expect(program.helpInformation()).toContain('--debug');
  });
});
