// @fingan/gan-core/backend: the tfjs backend (wasm by default, tfjs-node when installed) with fingan's fixes applied.
export { initBackend, ensureBackend, BACKEND_NAMES, tf } from './backend.js';
export type { BackendInfo, BackendName, BackendRequest, InitBackendArgs } from './backend.js';
