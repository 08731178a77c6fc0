/**
 * @spotcheck/rules — rule packs as plugins: pack schema, validation, city + district
 * composition, evaluation with json-rules-engine and the bulk fast path. Pure: reading pack
 * directories from disk lives in `@spotcheck/rules/load`.
 */
export * from './analysis';
export * from './artifacts';
export * from './cases';
export * from './classify';
export { combineFired } from './combine';
export { compilePacks, formatIssue, jsonPath, type CompileResult } from './compile';
export * from './digest';
export * from './facts';
export * from './generate';
export * from './messages';
export * from './operators';
export * from './plugin';
export * from './ratio';
export * from './registry';
export * from './runtime';
export * from './schema';
export * from './suggest';
export * from './types';
export * from './version';
