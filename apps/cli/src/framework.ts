/**
 * A small command framework: commands declare their flags once; parsing validates every value with zod and turns
 * any problem into a UsageError naming the flag, which main() prints as one line with exit code 2.
 */
import { z } from 'zod';
import { UsageError, type ClaimOutputOptions, type Logger, type OutputClaim } from '@fingan/gan-core/light';
import type { BackendInfo } from '@fingan/gan-core';

export type FlagType = 'string' | 'number' | 'int' | 'boolean';

export interface FlagSpec {
  name: string;
  type: FlagType;
  description: string;
  required?: boolean;
  /** May be given several times (values collected in order). */
  repeatable?: boolean;
  default?: string | number | boolean;
  /** Extra validation of the parsed value (e.g. positive); a failure names the flag. */
  check?: z.ZodType;
  placeholder?: string;
}

export type FlagValues = Record<string, string | number | boolean | Array<string | number> | undefined>;

export interface CommandContext {
  log: Logger;
  quiet: boolean;
  seed: number;
  /** Initialise the tensor backend (honours --backend / FINGAN_BACKEND) and report it. */
  backend(): Promise<BackendInfo>;
  /**
   * Check an output path before any work and lock it (gan-core claimOutput): refused if it exists (unless force), if
   * it is one of the inputs, or if another run holds its lock. Released when the command ends, however it ends.
   */
  claimOutput(path: string, opts: ClaimOutputOptions): OutputClaim;
}

export interface CommandSpec {
  /** e.g. ['credit', 'fit'] */
  path: string[];
  summary: string;
  flags: FlagSpec[];
  /** Usage examples shown in --help. */
  examples?: string[];
  run(flags: FlagValues, ctx: CommandContext): Promise<void>;
}

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'seed', type: 'int', description: 'random seed (same seed, same output on the same backend)', default: 0 },
  { name: 'backend', type: 'string', description: 'tensor backend: auto, wasm, tensorflow, cpu (default: FINGAN_BACKEND or auto)' },
  { name: 'quiet', type: 'boolean', description: 'print no progress or log lines', default: false },
  { name: 'help', type: 'boolean', description: 'show help', default: false },
];

function parseValue(spec: FlagSpec, raw: string): string | number | boolean {
  const flag = `--${spec.name}`;
  let v: string | number | boolean = raw;
  if (spec.type === 'number' || spec.type === 'int') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`expects a number, got '${raw}'`, { flag });
    if (spec.type === 'int' && !Number.isInteger(n)) throw new UsageError(`expects an integer, got '${raw}'`, { flag });
    v = n;
  } else if (spec.type === 'boolean') {
    if (!['true', 'false', '1', '0'].includes(raw)) throw new UsageError(`expects true or false, got '${raw}'`, { flag });
    v = raw === 'true' || raw === '1';
  } else if (raw === '') {
    throw new UsageError('expects a value', { flag });
  }
  if (spec.check) {
    const r = spec.check.safeParse(v);
    if (!r.success) throw new UsageError(`${r.error.issues[0].message} (got '${raw}')`, { flag });
  }
  return v;
}

/** Parse argv (after the command path) against the command's and the global flags. */
export function parseFlags(argv: string[], specs: FlagSpec[], commandName: string): FlagValues {
  const all = [...specs, ...GLOBAL_FLAGS];
  const byName = new Map(all.map((s) => [s.name, s]));
  const out: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith('--')) {
      throw new UsageError(`unexpected argument '${tok}' for '${commandName}' (flags start with --; see ${commandName} --help)`);
    }
    const eq = tok.indexOf('=');
    const name = eq > 0 ? tok.slice(2, eq) : tok.slice(2);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown flag for '${commandName}' (see ${commandName} --help)`, { flag: `--${name}` });
    let raw: string;
    if (eq > 0) raw = tok.slice(eq + 1);
    else if (spec.type === 'boolean' && (i + 1 >= argv.length || argv[i + 1].startsWith('--'))) raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i];
    else throw new UsageError('expects a value', { flag: `--${name}` });
    const v = parseValue(spec, raw);
    if (spec.repeatable) {
      const prev = (out[name] as Array<string | number> | undefined) ?? [];
      out[name] = [...prev, v as string | number];
    } else {
      if (out[name] !== undefined) throw new UsageError('given more than once', { flag: `--${name}` });
      out[name] = v;
    }
  }
  if (out.help) return out;
  for (const s of all) {
    if (out[s.name] === undefined) {
      if (s.required) throw new UsageError(`missing required flag for '${commandName}'`, { flag: `--${s.name}` });
      if (s.default !== undefined) out[s.name] = s.default;
      else if (s.repeatable) out[s.name] = [];
    }
  }
  return out;
}

function flagLine(s: FlagSpec): string {
  const ph = s.type === 'boolean' ? '' : ` ${s.placeholder ?? s.type.toUpperCase()}`;
  const extra = [s.required ? 'required' : '', s.repeatable ? 'repeatable' : '', s.default !== undefined && s.type !== 'boolean' ? `default ${s.default}` : '']
    .filter(Boolean)
    .join(', ');
  return `  --${s.name}${ph}`.padEnd(34) + s.description + (extra ? ` (${extra})` : '');
}

export function commandHelp(cmd: CommandSpec): string {
  const lines = [`Usage: fingan ${cmd.path.join(' ')} [flags]`, '', cmd.summary, '', 'Flags:', ...cmd.flags.map(flagLine), '', 'Global flags:', ...GLOBAL_FLAGS.map(flagLine)];
  if (cmd.examples?.length) lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

export function rootHelp(commands: CommandSpec[], version: string): string {
  const groups = new Map<string, CommandSpec[]>();
  for (const c of commands) {
    const g = c.path[0];
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  const lines = [
    `fingan ${version}: generative adversarial networks for synthetic financial data`,
    '',
    'Usage: fingan <command> [flags]',
    '',
    'Commands:',
  ];
  for (const cs of groups.values()) for (const c of cs) lines.push(`  ${c.path.join(' ')}`.padEnd(34) + c.summary);
  lines.push('', 'Global flags:', ...GLOBAL_FLAGS.map(flagLine), '  --version'.padEnd(34) + 'print the version', '');
  lines.push('Exit codes: 0 success, 2 bad input (one line naming the flag, file or column), 1 internal error.');
  lines.push("Run 'fingan <command> --help' for a command's flags.");
  return lines.join('\n') + '\n';
}

/** zod checks shared by commands. */
export const positiveInt = z.number().int().positive({ message: 'must be a positive integer' });
export const nonNegativeInt = z.number().int().min(0, { message: 'must be an integer >= 0' });
export const positive = z.number().positive({ message: 'must be positive' });
