/**
 * The `fingan` command. Exit codes: 0 success; 2 bad input, printed as one line naming the flag, file or column
 * (no stack trace); 1 internal error.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  claimOutput,
  cleanupOnSignals,
  createLogger,
  isUserError,
  runCleanups,
  writeError,
  DivergenceError,
  UsageError,
  type OutputClaim,
} from '@fingan/gan-core/light';
import type { BackendInfo } from '@fingan/gan-core';
import { commandHelp, nameFlag, parseFlags, rootHelp, type CommandContext, type CommandSpec } from './framework.js';
import { commands as registered } from './commands/index.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIo: Io = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

function findCommand(argv: string[], commands: CommandSpec[]): { cmd: CommandSpec; rest: string[] } | null {
  let best: { cmd: CommandSpec; rest: string[] } | null = null;
  for (const c of commands) {
    if (c.path.every((p, i) => argv[i] === p) && (!best || c.path.length > best.cmd.path.length)) best = { cmd: c, rest: argv.slice(c.path.length) };
  }
  return best;
}

/** What running out of memory looks like from wasm (an abort) and from V8 (a failed allocation). */
const OUT_OF_MEMORY = /^Aborted\(|Out of memory|Array buffer allocation failed|Invalid (typed )?array length|Cannot allocate memory/i;

interface Claimed {
  claim: OutputClaim;
  shown: string;
  flag: string;
}

/** A filesystem error while writing a claimed output is bad input naming its flag (a full disk, a read-only place). */
function asWriteError(e: unknown, claims: Claimed[]): unknown {
  const p = (e as NodeJS.ErrnoException)?.path;
  if (typeof p !== 'string') return e;
  const at = resolve(p);
  // The output itself, a file inside it, a sibling (its temporary file or lock) or a parent directory being created.
  const c = claims.find(({ claim: { path } }) => at === path || at.startsWith(`${path}/`) || dirname(at) === dirname(path) || path.startsWith(`${at}/`));
  return c ? writeError(e, c.shown, c.flag) : e;
}

export async function main(argv: string[], io: Io = defaultIo, commands: CommandSpec[] = registered): Promise<number> {
  const claims: Claimed[] = [];
  let command: CommandSpec | undefined;
  cleanupOnSignals();
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(rootHelp(commands, VERSION));
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.out(`${VERSION}\n`);
      return 0;
    }
    if (argv[0] === 'demo' && argv[1] && !argv[1].startsWith('--')) argv = ['demo', '--name', argv[1], ...argv.slice(2)];
    const found = findCommand(argv, commands);
    if (!found) {
      const group = commands.filter((c) => c.path[0] === argv[0]);
      if (group.length && (argv.length === 1 || argv[1].startsWith('--'))) {
        io.out(rootHelp(group, VERSION));
        return argv.includes('--help') ? 0 : 2;
      }
      throw new UsageError(
        `unknown command '${argv
          .filter((a) => !a.startsWith('--'))
          .slice(0, 2)
          .join(' ')}' (see fingan --help)`,
      );
    }
    command = found.cmd;
    const name = `fingan ${found.cmd.path.join(' ')}`;
    const flags = parseFlags(found.rest, found.cmd.flags, name);
    if (!flags) {
      io.out(commandHelp(found.cmd));
      return 0;
    }
    const quiet = flags.quiet;
    let backend: Promise<BackendInfo> | null = null;
    const log = createLogger({ quiet });
    const ctx: CommandContext = {
      log,
      quiet,
      seed: flags.seed,
      result: (summary) => io.out(JSON.stringify(summary) + '\n'),
      backend: () => {
        backend ??= import('@fingan/gan-core').then(async ({ initBackend }) => {
          const info = await initBackend({ backend: flags.backend });
          log.info(`backend: ${info.name}${info.simd ? ' (SIMD)' : ''}`);
          return info;
        });
        return backend;
      },
      claimOutput: (path, opts) => {
        const claim = claimOutput(path, opts);
        claims.push({ claim, shown: path, flag: opts.flag ?? '--out' });
        return claim;
      },
    };
    await found.cmd.run(flags, ctx);
    for (const c of claims) c.claim.release(false);
    runCleanups();
    return 0;
  } catch (caught) {
    for (const c of claims) c.claim.release(true);
    runCleanups();
    const e = asWriteError(caught, claims);
    if (isUserError(e)) {
      if (command) nameFlag(e, command);
      io.err(`fingan: error: ${e.oneLine()}\n`);
      return 2;
    }
    if (e instanceof DivergenceError) {
      io.err(`fingan: ${e.oneLine()}\n`);
      return 1;
    }
    const err = e as Error;
    if (OUT_OF_MEMORY.test(String(err?.message ?? e))) {
      io.err(
        'fingan: out of memory: the input or the requested size is too large for this machine; use a smaller input or lower --rows/--paths/--transactions\n',
      );
      return 1;
    }
    io.err(`fingan: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.FINGAN_DEBUG) io.err(`${err?.stack ?? ''}\n`);
    else io.err('(set FINGAN_DEBUG=1 for a stack trace)\n');
    return 1;
  }
}
