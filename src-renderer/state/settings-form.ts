import { isDkimSelector, LIMITS } from '../../src-main/contract/api';

/**
 * The Settings screen's checks as typed, in the screen's words. Main checks
 * the same rules again (the contract's schema); these only say it sooner.
 */

/** What is wrong with the DKIM selectors typed so far, or undefined when they are fine. */
export function dkimSelectorsError(selectors: readonly string[]): string | undefined {
  const bad = selectors.find((s) => !isDkimSelector(s));
  if (bad !== undefined) {
    return bad.includes('.')
      ? `"${bad}" has a dot: type only the selector (the part before ._domainkey), for example s2048.`
      : `"${bad}" is not a selector name: 1 to 63 letters, digits, - or _.`;
  }
  if (selectors.length > LIMITS.dkimSelectors) return `At most ${LIMITS.dkimSelectors} selectors.`;
  return undefined;
}
