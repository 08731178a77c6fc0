export * from './merkle';
export * from './checkpoint';
export * from './leaf';
export * from './inclusion';
