export * from './domain';
export * from './uscc';
export * from './draw/index';
