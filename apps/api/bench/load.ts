/**
 * The load generator of the HTTP benches, run as a child process (`offerLoad`) so that it does not
 * share an event loop with the server it measures: in the same process, autocannon's own work
 * delayed the server's answers and its timers, and the floor (a bare server answering fixed bytes)
 * showed a p99 of 213–263 ms at 500 req/s (issue 16). The parent sends one message with the
 * options, the child answers with autocannon's figures and exits.
 */
import { fork } from 'node:child_process';
import autocannon from 'autocannon';

/** What one load run offers. */
export interface LoadOptions {
  url: string;
  connections: number;
  /** Requests per second over all connections (autocannon's `overallRate`). */
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
}

/** What one load run achieved. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The generator's own CPU time (user + system), in seconds. */
  cpuSeconds: number;
}

/** Runs autocannon in a child process with `options`; resolves with its figures. */
export function offerLoad(options: LoadOptions): Promise<LoadResult> {
  const child = fork(import.meta.filename, { execArgv: ['--import', 'tsx'] });
  return new Promise((done, failed) => {
    child.once('message', (m) => done(m as LoadResult));
    child.once('error', failed);
    child.once('exit', (code) => {
      if (code !== 0) failed(new Error(`the load generator exited with ${code}`));
    });
    child.send(options);
  });
}

if (process.send) {
  process.once('message', async (options: LoadOptions) => {
    const cpu0 = process.cpuUsage();
    const r = await autocannon({
      url: options.url,
      connections: options.connections,
      overallRate: options.rate,
      duration: options.seconds,
      headers: options.headers,
    });
    const cpu = process.cpuUsage(cpu0);
    const result: LoadResult = {
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
    process.send!(result, () => process.exit(0));
  });
}
