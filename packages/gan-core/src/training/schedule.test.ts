import { describe, expect, it } from 'vitest';
import { describeStop, resolveSteps, stepsPerEpoch } from './schedule.js';

describe('training length', () => {
  it('counts an epoch as one full pass: ceil(rows / batchSize) steps', () => {
    expect([stepsPerEpoch(3118, 200), stepsPerEpoch(200, 200), stepsPerEpoch(201, 200), stepsPerEpoch(5, 200), stepsPerEpoch(0, 200)]).toEqual([
      16, 1, 2, 1, 1,
    ]);
  });

  it('takes steps as given, epochs as passes, and the default otherwise', () => {
    expect(resolveSteps({}, 3118, 200, 640)).toBe(640);
    expect(resolveSteps({ epochs: 3 }, 3118, 200, 640)).toBe(48);
    expect(resolveSteps({ steps: 7 }, 3118, 200, 640)).toBe(7);
    expect(resolveSteps({ steps: 0 }, 3118, 200, 640)).toBe(0);
    expect(resolveSteps({ epochs: undefined, steps: undefined }, 10, 200, 5)).toBe(5);
  });

  it('refuses both at once, fractional or non-positive epochs and bad steps, naming the option', () => {
    expect(() => resolveSteps({ epochs: 2, steps: 3 }, 100, 10, 5)).toThrow('give epochs or steps, not both (epochs 2, steps 3)');
    expect(() => resolveSteps({ epochs: 0.5 }, 100, 10, 5)).toThrow('epochs must be a positive integer (full passes over the data), got 0.5');
    expect(() => resolveSteps({ epochs: 0 }, 100, 10, 5)).toThrow(/epochs must be a positive integer/);
    expect(() => resolveSteps({ steps: -1 }, 100, 10, 5)).toThrow('steps must be a non-negative integer, got -1');
    expect(() => resolveSteps({ steps: 2.5 }, 100, 10, 5)).toThrow(/steps must be a non-negative integer/);
  });

  it('says how many steps ran and why training stopped', () => {
    expect(describeStop({ step: 640, plannedSteps: 640, reason: 'completed', reproducible: true })).toBe('completed 640 of 640 steps');
    expect(describeStop({ step: 640, plannedSteps: 640, reason: 'completed', reproducible: false })).toBe(
      'completed 640 of 640 steps (under a time limit: not reproducible from the seed alone)',
    );
    expect(describeStop({ step: 178, plannedSteps: 640, reason: 'time-budget', reproducible: false })).toBe(
      'stopped by the time limit after 178 of 640 steps: this model is not reproducible from its seed',
    );
    expect(describeStop({ step: 300, plannedSteps: 640, reason: 'early-stopping', reproducible: true })).toBe('early stopping after 300 of 640 steps');
  });
});
