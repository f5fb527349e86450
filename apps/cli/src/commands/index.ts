import type { CommandSpec } from '../framework.js';
import { creditCommands } from './credit.js';
import { demoCommand } from './demo.js';
import { fraudCommands } from './fraud.js';
import { marketCommands } from './market.js';
import { miningCommands } from './mining.js';

/** Every command the CLI knows; each domain adds its list here (one import, one spread). */
export const commands: CommandSpec[] = [demoCommand, ...fraudCommands, ...marketCommands, ...creditCommands, ...miningCommands];
