import * as z from 'zod/mini';
import type { ValueRule } from './rules';

/**
 * A zod check that a string passes `rule`, with the rule's own words as the
 * message, so a schema, the wizard and the CLI say the same thing. A zod/mini
 * check: full zod schemas take it as well (`z.string().check(ruleCheck(rule))`),
 * and the network settings (settings.ts, zod/mini) use it without loading full
 * zod.
 */
export function ruleCheck(rule: ValueRule): z.core.$ZodCheck<string> {
  return z.superRefine<string>((value, ctx) => {
    const problem = rule(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });
}
