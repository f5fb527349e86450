/**
 * One check for every input file, so each command words the same fault the same way: `file PATH: file not found`,
 * `file PATH: is a directory, not a file`, `file PATH: cannot be read (permission denied)`. Each is an
 * InvalidDataError naming the file (the same words readTable uses): exit 2 in the CLI.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { InvalidDataError } from '../errors.js';

export function checkInputFile(path: string): void {
  const fail = (m: string) => new InvalidDataError(`file ${path}: ${m}`, { file: path });
  if (!existsSync(path)) throw fail('file not found');
  if (statSync(path).isDirectory()) throw fail('is a directory, not a file');
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw fail('cannot be read (permission denied)');
  }
}
