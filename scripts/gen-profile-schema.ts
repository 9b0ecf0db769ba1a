/**
 * Writes examples/profile.schema.json from the zod ProfileSchema, so people
 * can write profiles by hand with editor help. Run after changing the schema:
 *   npx tsx scripts/gen-profile-schema.ts
 * test/unit/planner-schema.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ProfileSchema } from '../src-main/contract/planner';

export function profileJsonSchemaText(): string {
  const schema = z.toJSONSchema(ProfileSchema, { io: 'input', target: 'draft-2020-12' });
  const withId = { ...schema, $id: 'https://mailflow-doctor.invalid/profile.schema.json', title: 'Mailflow Doctor organisation profile' };
  return `${JSON.stringify(withId, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('../examples/profile.schema.json', import.meta.url));
  writeFileSync(out, profileJsonSchemaText());
  process.stdout.write(`wrote ${out}\n`);
}
