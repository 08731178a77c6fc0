// The verification thread's first module (plain JavaScript, so that Node can load it as it is):
// registers tsx, through which the platform runs its TypeScript, then loads the thread's entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
