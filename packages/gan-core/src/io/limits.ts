/**
 * Size checks that run before any work: a request whose memory or disk estimate is beyond what this machine can do
 * is refused at once (a UsageError naming the flag, the estimate and the limit) instead of hanging or dying of
 * out-of-memory hours later.
 *
 * The memory limit is half of the JavaScript heap limit (V8's heap_size_limit, about 2 GB with Node's defaults),
 * or FINGAN_MEMORY_LIMIT_MB when set. The disk limit is the free space of the output's file system.
 */
import { statfsSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Bytes a request may use in memory; see the module comment. */
export function memoryLimitBytes(): { bytes: number; source: string } {
  const env = process.env.FINGAN_MEMORY_LIMIT_MB;
  if (env !== undefined && env.trim() !== '' && Number.isFinite(Number(env)) && Number(env) > 0) {
    return { bytes: Number(env) * 2 ** 20, source: 'FINGAN_MEMORY_LIMIT_MB' };
  }
  return { bytes: getHeapStatistics().heap_size_limit / 2, source: 'half the Node.js heap limit; raise it with FINGAN_MEMORY_LIMIT_MB' };
}

/** Free bytes on the file system that would hold `path` (Infinity when it cannot be measured). */
export function freeDiskBytes(path: string): number {
  let dir = resolve(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return Infinity;
  }
}

/** 1536 -> '1.5 KB', 3.2e12 -> '3.2 TB'. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${Number(v.toPrecision(3))} ${units[u]}`;
}

export interface SizeRequest {
  /** The flag to change, e.g. '--rows'. */
  flag: string;
  /** What is being estimated, e.g. '1e12 rows of 14 columns'. */
  what: string;
  /** The estimate in bytes. */
  bytes: number;
  /** What to do instead (default: 'lower FLAG'). */
  advice?: string;
}

/** Refuse a request whose memory estimate is above memoryLimitBytes(). */
export function checkMemory(req: SizeRequest): void {
  const limit = memoryLimitBytes();
  if (!(req.bytes <= limit.bytes)) {
    throw new UsageError(
      `${req.what} needs about ${formatBytes(req.bytes)} of memory; the limit is ${formatBytes(limit.bytes)} (${limit.source}); ${req.advice ?? `lower ${req.flag}`}`,
      { flag: req.flag },
    );
  }
}

/** Refuse a request whose disk estimate is above the free space where `out` goes. */
export function checkDisk(req: SizeRequest & { out: string; outFlag?: string }): void {
  const free = freeDiskBytes(req.out);
  if (!(req.bytes <= free)) {
    throw new UsageError(
      `${req.what} would write about ${formatBytes(req.bytes)}; ${req.out} has ${formatBytes(free)} free; lower ${req.flag} or write to ${req.outFlag ?? '--out'} on a larger disk`,
      { flag: req.flag },
    );
  }
}

/** Refuse a count above a fixed limit (e.g. distinct items), naming the flag that raises it. */
export function checkCount(n: number, limit: number, msg: { what: string; flag: string; file?: string; column?: string }): void {
  if (n > limit) {
    throw new UsageError(`${msg.what}: ${n} is above the limit of ${limit}; raise ${msg.flag} if this machine can take it`, {
      flag: msg.flag,
      file: msg.file,
      column: msg.column,
    });
  }
}
