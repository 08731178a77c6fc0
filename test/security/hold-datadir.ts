/** Child process for datadir-lock and pglite-init tests: opens the embedded database, says so, waits to be killed. */
import { openDatabase } from '@spotcheck/db';

process.stdout.write('opening\n');
const database = await openDatabase({ dataDir: process.argv[2]! });
process.stdout.write(`ready ${database.describe}\n`);
setInterval(() => {}, 1000);
