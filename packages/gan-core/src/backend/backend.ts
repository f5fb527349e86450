/**
 * Backend selection. `wasm` (SIMD) is the default; `tensorflow` is used automatically when the optional
 * @tensorflow/tfjs-node(-gpu) package loads; `cpu` is the last resort. Override with the `backend` option or the
 * FINGAN_BACKEND environment variable. The measured tfjs defects are fixed here, once, whatever the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { fixSecondOrderGradients, patchWasmMatMul } from './fixes.js';
import { installFastTileGradient } from './tile-gradient.js';

export const BACKEND_NAMES = ['auto', 'wasm', 'tensorflow', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  /** What was asked for (option, FINGAN_BACKEND, or 'auto'). */
  requested: BackendRequest;
  /** For wasm: whether SIMD is on. */
  simd?: boolean;
  /** Which tfjs defect fixes are active. */
  fixes: string[];
  tfjsVersion: string;
  /** Why a preferred backend was skipped (e.g. tfjs-node not installed). */
  notes: string[];
}

export interface InitBackendArgs {
  /** Defaults to FINGAN_BACKEND, else 'auto'. */
  backend?: BackendRequest | string;
  /** Apply the tfjs 4.22 fixes (default true; tests turn them off to show the defects). */
  fixes?: boolean;
}

const requestSchema = z.enum(BACKEND_NAMES);
let current: Promise<BackendInfo> | null = null;
let currentKey = '';

async function tryTfjsNode(notes: string[]): Promise<boolean> {
  if (tf.findBackend('tensorflow')) return true;
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      if (tf.findBackend('tensorflow')) return true;
    } catch (e) {
      notes.push(`${pkg} not available (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return false;
}

async function tryWasm(notes: string[]): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch (e) {
    notes.push(`wasm backend failed to start (${(e as Error).message.split('\n')[0]})`);
    return false;
  }
}

async function select(requested: BackendRequest, applyFixes: boolean): Promise<BackendInfo> {
  // tfjs prints a banner recommending tfjs-node and other warnings through its `warn`, which PROD silences.
  tf.env().set('PROD', true);
  const notes: string[] = [];
  let name: BackendName | null = null;
  const order: BackendName[] = requested === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [requested];
  for (const cand of order) {
    if (cand === 'tensorflow' && (await tryTfjsNode(notes)) && (await tf.setBackend('tensorflow'))) name = 'tensorflow';
    else if (cand === 'wasm' && (await tryWasm(notes))) name = 'wasm';
    else if (cand === 'cpu' && (await tf.setBackend('cpu'))) name = 'cpu';
    if (name) break;
  }
  if (!name) {
    throw new UsageError(`backend '${requested}' is not available here: ${notes.join('; ')}`, { option: 'backend' });
  }
  await tf.ready();
  const fixes: string[] = [];
  if (applyFixes) {
    fixSecondOrderGradients();
    fixes.push('second-order-gradients');
    installFastTileGradient();
    fixes.push('fast-tile-gradient');
    if (name === 'wasm' && patchWasmMatMul()) fixes.push('wasm-transposed-matmul');
  }
  const info: BackendInfo = { name, requested, fixes, tfjsVersion: tf.version.tfjs, notes };
  if (name === 'wasm') info.simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  return info;
}

/**
 * Choose and initialise the tensor backend (once per process; calling again with the same request returns the
 * same info, with another request switches). Throws UsageError for an unknown or unavailable backend.
 */
export function initBackend(args: InitBackendArgs = {}): Promise<BackendInfo> {
  const raw = args.backend ?? process.env.FINGAN_BACKEND ?? 'auto';
  const parsed = requestSchema.safeParse(String(raw).toLowerCase());
  if (!parsed.success) {
    const source = args.backend !== undefined ? '--backend' : 'FINGAN_BACKEND';
    return Promise.reject(new UsageError(`unknown backend '${raw}'; expected one of ${BACKEND_NAMES.join(', ')}`, { flag: source }));
  }
  const key = `${parsed.data}:${args.fixes !== false}`;
  if (current && key === currentKey) return current;
  currentKey = key;
  current = select(parsed.data, args.fixes !== false);
  current.catch(() => {
    current = null;
    currentKey = '';
  });
  return current;
}

/** Initialise with defaults if nobody chose a backend yet (what every model call does first). */
export function ensureBackend(): Promise<BackendInfo> {
  return current ?? initBackend();
}

export { tf };
