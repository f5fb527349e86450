export * from './errors.js';
export * from './data/table.js';
