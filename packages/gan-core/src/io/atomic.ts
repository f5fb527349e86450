import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. (Node 20's `mkdirSync(p, { recursive: true })` loops forever on a path such as
 * `/proc/x/y`, where mkdir says ENOENT although the parent exists.) Returns the first directory created.
 */
export function makeDirs(dir: string): string | undefined {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return missing[0];
}

/**
 * Temporary files and directories of writes in progress, and other things to undo (locks), removed by
 * `runCleanups()`: at the end of a CLI command, on an error, and on SIGINT/SIGTERM once `cleanupOnSignals()` is on.
 */
const cleanups = new Map<string, () => void>();

/** Register something to remove if the process stops before it is done; `key` unregisters it. */
export function onCleanup(key: string, fn: () => void): void {
  cleanups.set(key, fn);
}

export function offCleanup(key: string): void {
  cleanups.delete(key);
}

/** Run (and forget) every registered cleanup, newest first; a failing one does not stop the others. */
export function runCleanups(): void {
  const fns = [...cleanups.values()].reverse();
  cleanups.clear();
  for (const fn of fns) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
}

let signalsInstalled = false;

/**
 * On SIGINT or SIGTERM, remove every registered temporary file and lock, then die of the same signal (so the exit
 * status is the usual 130/143). Also cleans up on a normal exit. Installing it twice is a no-op.
 */
export function cleanupOnSignals(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const handler = () => {
      runCleanups();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
  process.on('exit', runCleanups);
}

/** The temporary sibling a write to `path` goes through: `.NAME.PID.TIME.tmp` (see cleanStaleTemps). */
export function tempSibling(path: string, suffix = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${suffix}`);
}

/** Start tracking a temporary path so a signal or error removes it; returns the function that stops tracking. */
export function trackTemp(path: string): () => void {
  const key = `temp:${path}`;
  onCleanup(key, () => rmSync(path, { recursive: true, force: true }));
  return () => offCleanup(key);
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { pidAlive as isProcessAlive };

/**
 * Remove the temporary siblings of `path` (`.NAME.PID.TIME.tmp` / `.old`) left behind by killed runs: those whose
 * process is no longer alive. Returns how many were removed. A missing directory is not an error.
 */
export function cleanStaleTemps(path: string): number {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const m = /^(\d+)\.(\d+)\.(tmp|old)$/.exec(e.slice(prefix.length));
    if (!m || pidAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, e), { recursive: true, force: true });
      removed++;
    } catch {
      /* someone else's, or already gone */
    }
  }
  return removed;
}

/**
 * Write a file so that readers see either the old content or the complete new one, never a half-written file:
 * write to a temporary sibling, flush, then rename over the target. The temporary file is removed on an error and,
 * with `cleanupOnSignals()`, on SIGINT/SIGTERM.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  makeDirs(dirname(path));
  const tmp = tempSibling(path);
  const untrack = trackTemp(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    untrack();
  }
}

/**
 * Build a directory completely under a temporary name, then move it into place (replacing an older one).
 * `fill` receives the temporary directory. On any error (or signal) nothing is left at `dir`'s temporary path.
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void> | void): Promise<void> {
  makeDirs(dirname(dir));
  const tmp = tempSibling(dir);
  const untrack = trackTemp(tmp);
  mkdirSync(tmp);
  try {
    await fill(tmp);
    const old = tempSibling(dir, 'old');
    let moved = false;
    try {
      renameSync(dir, old);
      moved = true;
    } catch {
      /* no previous directory */
    }
    renameSync(tmp, dir);
    if (moved) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    untrack();
  }
}
