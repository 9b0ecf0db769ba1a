import type { Command } from 'commander';

/**
 * Every command of the CLI. Each file under commands/ exports one
 * `register(program)`; add it here.
 */
export const commands: ReadonlyArray<(program: Command) => void> = [];
