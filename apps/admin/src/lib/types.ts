import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@spotcheck/api';

/** Outputs of every procedure, for typing table rows. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** Inputs of every procedure. */
export type RouterInputs = inferRouterInputs<AppRouter>;
