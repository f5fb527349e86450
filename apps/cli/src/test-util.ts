// For the CLI's tests: run `fingan ARGV --quiet` in-process and capture what it prints.
import { main } from './main.js';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--quiet'], { out: (s) => void out.push(s), err: (s) => void err.push(s) });
  return { code, err: err.join(''), out: out.join('') };
}
