import { z } from 'zod';
import type { ValueRule } from './rules';

/**
 * A zod string that must pass `rule`, with the rule's own words as the
 * message. Used by the contract's schemas so the schema, the wizard and the
 * CLI say the same thing. Its own module: rules.ts stays free of zod, since
 * the engine and the command line's probe use the rules at run time.
 */
export function ruleSchema(rule: ValueRule, max = 253): z.ZodType<string, string> {
  return z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = rule(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
