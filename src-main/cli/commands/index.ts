import type { Command } from 'commander';
import { register as registerWeb } from './web';
import { register as registerReport } from './report';
import { register as registerPlan } from './plan';
import { register as registerCheck } from './check';
import { register as registerDns } from './dns';
import { register as registerProbe } from './probe';
import { register as registerCheckProbe } from './check-probe';
import { register as registerPartners } from './partners';

/**
 * Every command of the CLI. Each file under commands/ exports one
 * `register(program)`; add it here.
 */
export const commands: ReadonlyArray<(program: Command) => void> = [registerWeb, registerReport, registerPlan, registerCheck, registerDns, registerProbe, registerCheckProbe, registerPartners];
