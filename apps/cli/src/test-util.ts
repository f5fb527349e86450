// For the CLI's tests: run `fingan ARGV --quiet` in-process and capture what it prints.
import { main } from './main.js';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--quiet'], { out: (s) => void out.push(s), err: (s) => void err.push(s) });
  return { code, err: err.join(''), out: out.join('') };
}

/**
 * An argv from a command and its flags, in the order given: argv('fraud augment', { data: f, ratio: 0.5 }) is
 * ['fraud', 'augment', '--data', f, '--ratio', '0.5'].
 */
export function argv(command: string, flags: Record<string, string | number>, ...extra: string[]): string[] {
  return [...command.split(' '), ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]), ...extra];
}
