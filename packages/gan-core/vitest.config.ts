import { fingan } from '../../vitest.shared.js';
// The tfjs defect and fix tests see tfjs as it is before fingan patches it, so they do not share a module graph.
export default fingan({ isolated: ['src/backend/defects.test.ts', 'src/backend/matmul-fix.test.ts', 'src/backend/tile-gradient.test.ts'] });
