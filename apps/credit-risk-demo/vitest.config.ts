import { fingan } from '../../vitest.shared.js';
export default fingan();
