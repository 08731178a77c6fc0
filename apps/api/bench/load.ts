/**
 * The load generators of the HTTP benches, run in a child process (`offerLoad`) so that they do
 * not share an event loop with the server they measure (in the same process, the floor, a bare
 * server answering fixed bytes, showed a p99 of 213–263 ms at 500 req/s; issue 16). The parent
 * sends one message with the options, the child answers with the figures and exits.
 *
 * - `open`: an open loop. Request i is sent at start + i/rate whatever the answers before it (on
 *   up to `connections` kept-alive sockets; past that it waits for one), and its latency runs
 *   from that scheduled time, so a server that falls behind is charged for the wait too.
 * - `autocannon`: autocannon with `overallRate`, which gives each connection a budget per
 *   second: every connection sends its share at the start of each second and then waits, so the
 *   load comes as a burst of the whole second's requests (a latency that grows with the burst, not
 *   the rate). Kept for the closed-loop figures measured before.
 */
import { fork } from 'node:child_process';
import { Agent, get } from 'node:http';
import autocannon from 'autocannon';

/** What one load run offers. */
export interface LoadOptions {
  url: string;
  connections: number;
  /** Requests per second over all connections. */
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Default `open`. */
  generator?: 'open' | 'autocannon';
}

/** What one load run achieved. */
export interface LoadResult {
  /** Answers per second (open loop: the requests over the time until the last answer). */
  rps: number;
  p50: number;
  p99: number;
  /** Failed requests and answers other than 200. */
  errors: number;
  /** The generator's own CPU time (user + system), in seconds. */
  cpuSeconds: number;
}

/** Runs a load generator in a child process with `options`; resolves with its figures. */
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

/** The value below which `share` of the sorted `values` lie. */
const percentile = (sorted: Float64Array, share: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;

async function openLoop(o: LoadOptions): Promise<Omit<LoadResult, 'cpuSeconds'>> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const total = Math.round(o.rate * o.seconds);
  const interval = 1000 / o.rate;
  const latencies = new Float64Array(total);
  let sent = 0;
  let answered = 0;
  let errors = 0;
  const start = performance.now();
  let last = start;
  await new Promise<void>((finished) => {
    const answer = (i: number, scheduled: number, ok: boolean) => {
      last = performance.now();
      latencies[i] = last - scheduled;
      if (!ok) errors++;
      if (++answered === total) finished();
    };
    const tick = () => {
      // Every request whose time has come (a timer may fire late: those due meanwhile go now).
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const i = sent++;
        const scheduled = start + i * interval;
        get(o.url, { agent, headers: o.headers }, (res) => {
          res.resume();
          res.on('end', () => answer(i, scheduled, res.statusCode === 200));
          res.on('error', () => answer(i, scheduled, false));
        }).on('error', () => answer(i, scheduled, false));
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  agent.destroy();
  latencies.sort();
  return {
    rps: total / ((last - start) / 1000),
    p50: Math.round(percentile(latencies, 0.5)),
    p99: Math.round(percentile(latencies, 0.99)),
    errors,
  };
}

async function closedLoop(o: LoadOptions): Promise<Omit<LoadResult, 'cpuSeconds'>> {
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    overallRate: o.rate,
    duration: o.seconds,
    headers: o.headers,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

if (process.send) {
  process.once('message', async (options: LoadOptions) => {
    const cpu0 = process.cpuUsage();
    const r = await (options.generator === 'autocannon' ? closedLoop : openLoop)(options);
    const cpu = process.cpuUsage(cpu0);
    const result: LoadResult = { ...r, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    process.send!(result, () => process.exit(0));
  });
}
