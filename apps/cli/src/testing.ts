/**
 * The CLI's library functions the cross-package suites in test/ drive directly:
 * `@spotcheck/cli/testing` (the package's `.` entry runs the command line).
 */
export { createDemoAccounts } from './lib/accounts';
export { fetchPortalCheckpoints, verifyAgainstCheckpoints } from './lib/audit';
export { seedDemo } from './lib/seed';
export { runMonitor, runWitness } from './lib/transparency';
