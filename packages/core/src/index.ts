export * from './domain';
export * from './uscc';
