import type { DemoSpec } from './demo.js';
import { creditDemo } from '@fingan/credit-risk-demo';
import { fraudDemo } from '@fingan/fraud-demo';
import { marketDemo } from '@fingan/market-demo';
import { miningDemo } from '@fingan/data-mining-demo';

/** The demo of every domain that has landed; each apps/<domain>-demo adds its export here. */
export const demos: DemoSpec[] = [fraudDemo, marketDemo, creditDemo, miningDemo];
