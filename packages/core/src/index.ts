export * from './domain';
export * from './strata';
export * from './uscc';
export * from './draw/index';
export * from './checklist';
export * from './json';
export * from './api-errors';
export * from './records';
