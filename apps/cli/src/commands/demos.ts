import type { DemoSpec } from './demo.js';

/** The demo of every domain that has landed; each apps/<domain>-demo adds its export here. */
export const demos: DemoSpec[] = [];
