export * from './client';
export * from './copy';
export * as schema from './schema';
export * from './schema';
export * from './draw-keys';
