/**
 * The benches' API server, run as a child process (`server-child.ts` starts it) so that its
 * resident memory and CPU time are its own.
 * Env: BENCH_DB_URL (the bench's database), BENCH_BEACON_GENESIS (the demo beacon's genesis, Unix s).
 * The server clock runs with real time plus an offset the parent moves over IPC (`{ advance: s }`),
 * as the API suites do, so the bench need not wait for drand rounds or key validity. It answers
 * `{ rss: true }` with its peak and current RSS in bytes and the CPU seconds it has used.
 */
import { demoBeacon } from '@spotcheck/core';
import { openDatabase } from '@spotcheck/db';
import { localDemoBeacon } from '@spotcheck/api';
import { startServer } from '../src/index';

let offsetMs = 0;
const database = await openDatabase({ url: process.env.BENCH_DB_URL! });
const beacon = localDemoBeacon(
  demoBeacon('workflow bench beacon', Number(process.env.BENCH_BEACON_GENESIS), 3),
);
const server = await startServer({
  database,
  port: 0,
  staticMounts: [],
  now: () => new Date(Date.now() + offsetMs),
  beacon,
});

process.on('message', (m: { advance?: number; rss?: boolean; stop?: boolean }) => {
  if (m.advance) {
    offsetMs += m.advance * 1000;
    process.send!({ advanced: offsetMs });
  } else if (m.rss) {
    const cpu = process.cpuUsage();
    process.send!({
      peak: process.resourceUsage().maxRSS * 1024,
      rss: process.memoryUsage.rss(),
      cpu: (cpu.user + cpu.system) / 1e6,
    });
  } else if (m.stop) {
    void server
      .close()
      .then(() => database.close())
      .then(() => process.exit(0));
  }
});
process.send!({ url: server.url, now: Date.now() + offsetMs });
