export * from './trpc';
export * from './root';
