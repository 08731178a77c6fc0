/** Child process for datadir-lock.test.ts: opens the embedded database, says so, waits to be killed. */
import { openDatabase } from '../../packages/db/src';

const database = await openDatabase({ dataDir: process.argv[2]! });
process.stdout.write(`ready ${database.describe}\n`);
setInterval(() => {}, 1000);
