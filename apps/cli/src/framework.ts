/**
 * A small command framework: commands declare their flags once; parsing validates every value with zod and turns
 * any problem into a UsageError naming the flag, which main() prints as one line with exit code 2.
 */
import { z } from 'zod';
import { UsageError, type ClaimOutputOptions, type FinganError, type Logger, type OutputClaim } from '@fingan/gan-core/light';
import type { BackendInfo } from '@fingan/gan-core';

/** How a flag's text is read before its check: as is, as a number, as an integer, or as true/false. */
export type FlagKind = 'string' | 'number' | 'int' | 'boolean';

/** What --help says about a flag. */
export interface FlagInfo {
  kind: FlagKind;
  description: string;
  placeholder?: string;
  required: boolean;
  /** May be given several times (values collected in order). */
  repeatable: boolean;
  default?: string | number | boolean;
}

/**
 * One flag, declared once: its help, and the zod schema that turns what was typed (a string; the strings, in order,
 * for a repeatable flag; nothing when it was not given) into its typed value, or into issues naming what is wrong.
 */
export interface Flag<Out> {
  readonly info: FlagInfo;
  readonly schema: z.ZodType<Out>;
}

/** A command's flags by name (the name without its leading --). */
export type FlagShape = Record<string, Flag<unknown>>;

/** The zod schema of a command's flags. */
export type FlagsSchema<F extends FlagShape> = z.ZodObject<{ [K in keyof F]: F[K]['schema'] }>;

/** The parsed values of a command's flags: what the zod schema of its flags outputs. */
export type FlagValues<F extends FlagShape> = z.infer<FlagsSchema<F>>;

/** A flag's text, read as its kind says; a failure is an issue whose message names the text ('... got 'abc''). */
function read(kind: FlagKind): z.ZodType<string | number | boolean, string> {
  return z.string().transform((raw, ctx): string | number | boolean => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message, params: { complete: true } });
      return z.NEVER;
    };
    if (kind === 'number' || kind === 'int') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) return fail(`expects a number, got '${raw}'`);
      if (kind === 'int' && !Number.isInteger(n)) return fail(`expects an integer, got '${raw}'`);
      return n;
    }
    if (kind === 'boolean') {
      if (!['true', 'false', '1', '0'].includes(raw)) return fail(`expects true or false, got '${raw}'`);
      return raw === 'true' || raw === '1';
    }
    if (raw === '') return fail('expects a value');
    return raw;
  });
}

/**
 * A flag being declared: optional until it is made `required()`, given a `default(...)` or made `repeatable()`.
 * `check(schema)` validates (and may narrow) the value read from the text; its message names what is wrong
 * ('must be positive'), and the error adds the flag and the text given.
 */
export class FlagBuilder<T> implements Flag<T | undefined> {
  constructor(
    readonly info: FlagInfo,
    private readonly item: z.ZodType<T, string>,
  ) {}

  get schema(): z.ZodType<T | undefined> {
    return this.item.optional();
  }

  check<S extends z.ZodType<unknown, T>>(schema: S): FlagBuilder<z.output<S>> {
    return new FlagBuilder<z.output<S>>(this.info, this.item.pipe(schema) as unknown as z.ZodType<z.output<S>, string>);
  }

  describe(description: string): FlagBuilder<T> {
    return new FlagBuilder(this.with({ description }), this.item);
  }

  required(): Flag<T> {
    return { info: this.with({ required: true }), schema: this.item };
  }

  default(value: T & (string | number | boolean)): Flag<T> {
    return { info: this.with({ default: value }), schema: this.item.optional().transform((v) => (v === undefined ? value : v)) };
  }

  repeatable(): Flag<T[]> {
    return {
      info: this.with({ repeatable: true }),
      schema: z
        .array(this.item)
        .optional()
        .transform((v) => v ?? []),
    };
  }

  private with(more: Partial<FlagInfo>): FlagInfo {
    return { ...this.info, ...more };
  }
}

function builder<T extends string | number | boolean>(kind: FlagKind, description: string, placeholder?: string): FlagBuilder<T> {
  return new FlagBuilder<T>({ kind, description, placeholder, required: false, repeatable: false }, read(kind) as z.ZodType<T, string>);
}

/** The flag declarations: `flag.int('rows to write', 'N').check(positiveInt).required()`. */
export const flag = {
  string: (description: string, placeholder?: string) => builder<string>('string', description, placeholder),
  number: (description: string, placeholder?: string) => builder<number>('number', description, placeholder),
  int: (description: string, placeholder?: string) => builder<number>('int', description, placeholder),
  /** A switch: false unless given (`--x`, `--x=true`, `--x false`); `.default(true)` for one that is on. */
  boolean: (description: string, on = false): Flag<boolean> => builder<boolean>('boolean', description).default(on),
};

/** The same flags with a note added to each description (e.g. ' (--method gan)'). */
export function noted<F extends FlagShape>(flags: F, note: string): F {
  const out: FlagShape = {};
  for (const [name, f] of Object.entries(flags)) out[name] = { info: { ...f.info, description: `${f.info.description}${note}` }, schema: f.schema };
  return out as F;
}

export interface CommandContext {
  log: Logger;
  quiet: boolean;
  seed: number;
  /** Print the command's one-line JSON summary on standard output (also under --quiet: it is the result, not a log). */
  result(summary: Record<string, unknown>): void;
  /** Initialise the tensor backend (honours --backend / FINGAN_BACKEND) and report it. */
  backend(): Promise<BackendInfo>;
  /**
   * Check an output path before any work and lock it (gan-core claimOutput): refused if it exists (unless force), if
   * it is one of the inputs, or if another run holds its lock. Released when the command ends, however it ends.
   */
  claimOutput(path: string, opts: ClaimOutputOptions): OutputClaim;
}

export interface CommandSpec<F extends FlagShape = FlagShape> {
  /** e.g. ['credit', 'fit'] */
  path: string[];
  summary: string;
  /** The command's flags, declared once: parsing, the type of `run`'s flags, --help and the errors come from them. */
  flags: F;
  /** Usage examples shown in --help. */
  examples?: string[];
  /**
   * Library options (as named in errors, `{ option: 'n' }`) given by a flag of another name: option -> flag name.
   * Without an entry an option is the flag of its name in kebab case (see flagForOption).
   */
  options?: Record<string, string>;
  run(flags: FlagValues<F> & GlobalFlagValues, ctx: CommandContext): Promise<void>;
}

/** Declare a command (its flags' values are typed in `run` from its flag declarations). */
export function defineCommand<F extends FlagShape>(spec: CommandSpec<F>): CommandSpec {
  return spec;
}

export const GLOBAL_FLAGS = {
  seed: flag.int('random seed (same seed, same output on the same backend)').default(0),
  backend: flag.string('tensor backend: auto, wasm, tensorflow, cpu (default: FINGAN_BACKEND or auto)'),
  quiet: flag.boolean('print no progress or log lines'),
  help: flag.boolean('show help'),
};
export type GlobalFlagValues = FlagValues<typeof GLOBAL_FLAGS>;

/** Library option names whose flag is not the option in kebab case, in every command. */
const OPTION_FLAGS: Record<string, string> = { timeBudgetSeconds: 'time-budget', kinds: 'kind', conditions: 'condition', rules: 'rule' };

/**
 * The flag that gives a library's option in this command: the command's own `options` entry, else the option in
 * kebab case (minSupport -> --min-support; a nested 'gan.epochs' -> --epochs) when the command has that flag.
 */
export function flagForOption(cmd: CommandSpec, option: string): string | undefined {
  const leaf = option.slice(option.lastIndexOf('.') + 1);
  const name = cmd.options?.[option] ?? cmd.options?.[leaf] ?? OPTION_FLAGS[leaf] ?? leaf.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.hasOwn(cmd.flags, name) || Object.hasOwn(GLOBAL_FLAGS, name) ? `--${name}` : undefined;
}

/**
 * Libraries name their option (`{ option: 'minSupport' }`); the CLI names the flag that gives it (--min-support), so
 * the one line printed for the error says what to change on the command line. An option no flag gives stays named
 * as an option (an older library tag with an option name as its flag, `{ flag: 'k' }`, is read as one).
 */
export function nameFlag(e: FinganError, cmd: CommandSpec): void {
  const legacy = e.at.flag !== undefined && !e.at.flag.startsWith('--') ? e.at.flag : undefined;
  const option = legacy ?? (e.at.flag === undefined ? e.at.option : undefined);
  if (option === undefined) return;
  const flag = flagForOption(cmd, option);
  if (flag !== undefined) e.at.flag = flag;
  else if (legacy !== undefined) {
    e.at.flag = undefined;
    e.at.option = legacy;
  }
}

/** What was typed: each flag's text (texts, for a repeatable flag) and where in argv each one came. */
interface Typed {
  raw: Record<string, string | string[]>;
  at: Record<string, number[]>;
}

/** The first issue in the order the user typed the flags (a missing required flag after every typed one). */
function issueError(issues: z.core.$ZodIssue[], typed: Typed, commandName: string): UsageError {
  const where = (i: z.core.$ZodIssue) => {
    const [name, index] = i.path;
    return typed.at[String(name)]?.[typeof index === 'number' ? index : 0] ?? Infinity;
  };
  const first = issues.reduce((a, b) => (where(b) < where(a) ? b : a));
  const [name, index] = first.path;
  const flag = `--${String(name)}`;
  const given = typed.raw[String(name)];
  if (given === undefined) return new UsageError(`missing required flag for '${commandName}'`, { flag });
  const text = Array.isArray(given) ? given[typeof index === 'number' ? index : 0] : given;
  const complete = (first as { params?: { complete?: boolean } }).params?.complete === true || first.message.includes("got '");
  return new UsageError(complete ? first.message : `${first.message} (got '${text}')`, { flag });
}

/**
 * Parse argv (after the command path) against the command's and the global flags: the text of each flag is read
 * into the zod schema of the command's flags. Returns null for --help (the values given are still checked). Errors
 * are UsageErrors naming the flag, the first in argv order.
 */
export function parseFlags<F extends FlagShape>(argv: string[], flags: F, commandName: string): (FlagValues<F> & GlobalFlagValues) | null {
  const all: FlagShape = { ...flags, ...GLOBAL_FLAGS };
  const schema = z.object(Object.fromEntries(Object.entries(all).map(([name, f]) => [name, f.schema])));
  const typed: Typed = { raw: {}, at: {} };
  // A flag the user typed wrong is reported before a later mistake in the command line.
  const failure = (e: UsageError): UsageError => {
    const r = schema.partial().safeParse(typed.raw);
    return r.success ? e : issueError(r.error.issues, typed, commandName);
  };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith('--')) {
      throw failure(new UsageError(`unexpected argument '${tok}' for '${commandName}' (flags start with --; see ${commandName} --help)`));
    }
    const eq = tok.indexOf('=');
    const name = eq > 0 ? tok.slice(2, eq) : tok.slice(2);
    const spec = Object.hasOwn(all, name) ? all[name] : undefined;
    if (!spec) throw failure(new UsageError(`unknown flag for '${commandName}' (see ${commandName} --help)`, { flag: `--${name}` }));
    let raw: string;
    if (eq > 0) raw = tok.slice(eq + 1);
    else if (spec.info.kind === 'boolean' && (i + 1 >= argv.length || argv[i + 1].startsWith('--'))) raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i];
    else throw failure(new UsageError('expects a value', { flag: `--${name}` }));
    const prev = typed.raw[name];
    if (spec.info.repeatable) typed.raw[name] = [...(Array.isArray(prev) ? prev : []), raw];
    else if (prev !== undefined) throw failure(new UsageError('given more than once', { flag: `--${name}` }));
    else typed.raw[name] = raw;
    typed.at[name] = [...(typed.at[name] ?? []), i];
  }
  const parsed = schema.safeParse(typed.raw);
  if (typed.raw.help !== undefined) {
    const partial = schema.partial().safeParse(typed.raw);
    if (!partial.success) throw issueError(partial.error.issues, typed, commandName);
    if (partial.data.help === true) return null;
  }
  if (!parsed.success) throw issueError(parsed.error.issues, typed, commandName);
  return parsed.data as FlagValues<F> & GlobalFlagValues;
}

function helpLines(flags: FlagShape): string[] {
  return Object.entries(flags).map(([name, f]) => flagLine(name, f.info));
}

function flagLine(name: string, s: FlagInfo): string {
  const ph = s.kind === 'boolean' ? '' : ` ${s.placeholder ?? s.kind.toUpperCase()}`;
  const extra = [s.required ? 'required' : '', s.repeatable ? 'repeatable' : '', s.default !== undefined && s.kind !== 'boolean' ? `default ${s.default}` : '']
    .filter(Boolean)
    .join(', ');
  return `  --${name}${ph}`.padEnd(34) + s.description + (extra ? ` (${extra})` : '');
}

export function commandHelp(cmd: CommandSpec): string {
  const lines = [
    `Usage: fingan ${cmd.path.join(' ')} [flags]`,
    '',
    cmd.summary,
    '',
    'Flags:',
    ...helpLines(cmd.flags),
    '',
    'Global flags:',
    ...helpLines(GLOBAL_FLAGS),
  ];
  if (cmd.examples?.length) lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

export function rootHelp(commands: CommandSpec[], version: string): string {
  const groups = new Map<string, CommandSpec[]>();
  for (const c of commands) {
    const g = c.path[0];
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  const lines = [`fingan ${version}: generative adversarial networks for synthetic financial data`, '', 'Usage: fingan <command> [flags]', '', 'Commands:'];
  for (const cs of groups.values()) for (const c of cs) lines.push(`  ${c.path.join(' ')}`.padEnd(34) + c.summary);
  lines.push('', 'Global flags:', ...helpLines(GLOBAL_FLAGS), '  --version'.padEnd(34) + 'print the version', '');
  lines.push('Exit codes: 0 success, 2 bad input (one line naming the flag, file or column), 1 internal error.');
  lines.push("Run 'fingan <command> --help' for a command's flags.");
  return lines.join('\n') + '\n';
}

/** zod checks shared by commands. */
export const positiveInt = z.number().int().positive({ message: 'must be a positive integer' });
export const nonNegativeInt = z.number().int().min(0, { message: 'must be an integer >= 0' });
export const positive = z.number().positive({ message: 'must be positive' });
