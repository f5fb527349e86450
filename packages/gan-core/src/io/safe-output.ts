/**
 * Outputs that never lose a user's data. Before any work, `claimOutput` checks an output path and locks it:
 *
 * - an existing output (file, model directory, or the report files of a report directory) is refused unless
 *   `force`; an output that resolves (symlinks followed) to one of the command's inputs, or a directory that
 *   contains one, is refused even with `force`; a directory that is not a fingan model directory is never replaced;
 * - the parent directories are created and must be writable (a read-only place, `/proc`, or a path under an
 *   existing file is refused naming the flag);
 * - `PATH.lock` (holding the writer's pid and host) is created exclusively; a second writer is refused naming the
 *   lock, and a lock left by a process that no longer runs is taken over;
 * - temporary siblings left by killed runs (`.NAME.PID.TIME.tmp`) are removed.
 *
 * Every refusal is a UsageError naming the flag, so the CLI prints one line and exits 2. `release()` removes the
 * lock (and, after a failed run, the directories the claim created); it is also registered with `onCleanup`, so a
 * signal or an error releases it.
 */
import { existsSync, linkSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { cleanStaleTemps, isProcessAlive, makeDirs as mkdirs, offCleanup, onCleanup, tempSibling } from './atomic.js';

export type OutputKind = 'file' | 'model-dir' | 'report-dir';

export interface OutputInput {
  path: string;
  flag: string;
}

export interface ClaimOutputOptions {
  /** The flag that names the output, for messages (default '--out'). */
  flag?: string;
  /** 'file': one file; 'model-dir': a directory replaced as a whole; 'report-dir': a directory some files go into. */
  kind: OutputKind;
  /** Replace an existing output. Never overrides the input and lock checks. */
  force?: boolean;
  /** The command's inputs: an output may not resolve to one of them (or, for a directory, contain one). */
  inputs?: OutputInput[];
  /** For 'report-dir': the files the command writes there (an existing one is refused unless force). */
  files?: string[];
}

export interface OutputClaim {
  /** The absolute output path. */
  path: string;
  /** The lock file. */
  lock: string;
  /** Remove the lock; `failed` also removes the (empty) directories the claim created. Idempotent. */
  release(failed?: boolean): void;
}

/** Filesystem error codes that mean "this output cannot be written here", not a bug. */
export const WRITE_ERROR_CODES = [
  'ENOENT',
  'EEXIST',
  'EACCES',
  'EPERM',
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'ENOTDIR',
  'EISDIR',
  'EFBIG',
  'ENAMETOOLONG',
  'ELOOP',
  'EIO',
];

/** The real path of `p`: symlinks of its existing part resolved, the missing rest appended. */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPathOf(parent), basename(abs));
  }
}

function within(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

function describeWriteError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOENT: 'the place does not exist or cannot hold files',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'it is a directory',
    ENAMETOOLONG: 'the name is too long',
    EEXIST: 'it already exists',
  };
  return err?.code ? `${why[err.code] ?? err.code} (${err.code})` : String((e as Error)?.message ?? e);
}

/** A filesystem error while writing `path` as the UsageError the CLI prints (exit 2 naming the flag). */
export function writeError(e: unknown, path: string, flag = '--out'): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (!code || !WRITE_ERROR_CODES.includes(code)) return e;
  return new UsageError(`cannot write '${path}': ${describeWriteError(e)}`, { flag });
}

/** Create `dir` (and parents); returns the first directory created (undefined if it existed). Errors name the flag. */
function makeDirs(dir: string, shown: string, flag: string): string | undefined {
  // Walk up to the nearest existing ancestor: it must be a directory.
  let probe = dir;
  while (!existsSync(probe)) {
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  if (existsSync(probe) && !statSync(probe).isDirectory()) {
    throw new UsageError(`cannot write '${shown}': '${probe}' is a file, not a directory`, { flag });
  }
  try {
    return mkdirs(dir);
  } catch (e) {
    throw writeError(e, shown, flag);
  }
}

interface LockContent {
  pid: number;
  host: string;
  started: string;
}

function readLock(lock: string): LockContent | null {
  try {
    const v = JSON.parse(readFileSync(lock, 'utf8')) as Partial<LockContent>;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? (v as LockContent) : null;
  } catch {
    return null;
  }
}

function lockIsStale(c: LockContent | null, lock: string): boolean {
  if (c === null) {
    // Unreadable: a writer that died between creating and filling it would not leave one (see takeLock), so this is
    // foreign or damaged; treat it as stale only when it is old.
    try {
      return Date.now() - statSync(lock).mtimeMs > 60_000;
    } catch {
      return true;
    }
  }
  return c.host === hostname() && !isProcessAlive(c.pid);
}

/**
 * Create `lock` exclusively with this process's pid (written to a temporary file, then hard-linked into place, so
 * the lock never exists half-written). A lock of a process that is no longer alive on this host is taken over.
 */
export function takeLock(lock: string, shown: string, flag = '--out'): void {
  const content: LockContent = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const tmp = tempSibling(lock);
  try {
    writeFileSync(tmp, JSON.stringify(content) + '\n', { flag: 'wx' });
  } catch (e) {
    throw writeError(e, shown, flag);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(tmp, lock);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(e, shown, flag);
      }
      const held = readLock(lock);
      if (!lockIsStale(held, lock)) {
        const who = held ? `process ${held.pid}${held.host === hostname() ? '' : ` on ${held.host}`}` : 'another process';
        throw new UsageError(`'${shown}' is being written by ${who} (lock file ${lock}); wait for it to finish, or delete the lock if that process is gone`, {
          flag,
        });
      }
      // Stale: move it aside under a unique name and check that what was moved is still the stale lock.
      const aside = tempSibling(lock, 'old');
      try {
        renameSync(lock, aside);
      } catch {
        continue; // someone else moved it first: try again
      }
      const moved = readLock(aside);
      if (JSON.stringify(moved) !== JSON.stringify(held)) {
        try {
          linkSync(aside, lock); // a live writer's fresh lock: put it back
        } catch {
          /* it has a new lock already */
        }
      }
      rmSync(aside, { force: true });
    }
    throw new UsageError(`could not take the lock file ${lock}: other writers keep taking it`, { flag });
  } finally {
    rmSync(tmp, { force: true });
  }
}

function isModelDir(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/**
 * Check an output before any work and lock it (see the module comment). Throws a UsageError naming the flag.
 */
export function claimOutput(path: string, opts: ClaimOutputOptions): OutputClaim {
  const flag = opts.flag ?? '--out';
  if (path.trim() === '') throw new UsageError('expects a path', { flag });
  const abs = resolve(path);
  const real = realPathOf(abs);
  for (const input of opts.inputs ?? []) {
    const inReal = realPathOf(input.path);
    if (real === inReal) throw new UsageError(`'${path}' is the same file as ${input.flag} ${input.path}; write the output somewhere else`, { flag });
    if (opts.kind !== 'file' && within(inReal, real)) {
      throw new UsageError(`'${path}' contains ${input.flag} ${input.path}; write the output to a directory of its own`, { flag });
    }
  }
  const exists = existsSync(abs);
  const isDir = exists && statSync(abs).isDirectory();
  if (opts.kind === 'file') {
    if (isDir) throw new UsageError(`'${path}' is a directory; give a file name`, { flag });
    if (exists && !opts.force) throw new UsageError(`'${path}' already exists; pass --force to replace it`, { flag });
  } else {
    if (exists && !isDir) throw new UsageError(`'${path}' exists and is not a directory`, { flag });
    if (opts.kind === 'model-dir' && isDir) {
      const empty = readdirSync(abs).length === 0;
      if (!empty && !isModelDir(abs)) {
        throw new UsageError(`'${path}' is a directory that is not a fingan model; it is never replaced, even with --force (choose a new directory)`, { flag });
      }
      if (!empty && !opts.force) throw new UsageError(`model directory '${path}' already exists; pass --force to replace it`, { flag });
    }
    if (opts.kind === 'report-dir' && isDir) {
      const present = (opts.files ?? []).filter((f) => existsSync(join(abs, f)));
      if (present.length && !opts.force) throw new UsageError(`'${path}' already holds ${present.join(' and ')}; pass --force to replace them`, { flag });
    }
  }

  // Create what must exist for the writes (and the lock), then take the lock: it doubles as the writability probe.
  const created = makeDirs(opts.kind === 'report-dir' ? abs : dirname(abs), path, flag);
  const lock = `${abs}.lock`;
  try {
    takeLock(lock, path, flag);
  } catch (e) {
    removeCreated(created, abs);
    throw e;
  }
  cleanStaleTemps(abs);
  cleanStaleTemps(lock);
  const key = `lock:${lock}`;
  let released = false;
  const release = (failed = false) => {
    if (released) return;
    released = true;
    offCleanup(key);
    const held = readLock(lock);
    if (held && held.pid === process.pid && held.host === hostname()) rmSync(lock, { force: true });
    if (failed) removeCreated(created, abs);
  };
  onCleanup(key, () => release(true));
  return { path: abs, lock, release };
}

/** Remove the directories a claim created, deepest first, as long as they are empty. */
function removeCreated(created: string | undefined, target: string): void {
  if (!created) return;
  let d = existsSync(target) && statSync(target).isDirectory() ? target : dirname(target);
  while (within(d, created)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty: something was written there
    }
    if (d === created) return;
    d = dirname(d);
  }
}
