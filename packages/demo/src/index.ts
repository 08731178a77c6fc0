export * from './divisions';
export * from './units';
export * from './people';
export * from './checklist';
export * from './seed';
