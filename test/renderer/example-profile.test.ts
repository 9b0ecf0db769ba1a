import { describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../src-main/contract/planner';
import { EXAMPLE_PROFILE } from '../../src-renderer/features/plan/example-profile';
import exampleFile from '../../examples/john-bob-sun.json';

describe('the example profile embedded in the renderer', () => {
  it('equals examples/john-bob-sun.json (apart from the editor-only $schema)', () => {
    const { $schema: _schema, ...file } = exampleFile as Record<string, unknown>;
    expect(EXAMPLE_PROFILE).toEqual(file);
  });

  it('is a valid profile', () => {
    expect(ProfileSchema.safeParse(EXAMPLE_PROFILE).success).toBe(true);
  });
});
