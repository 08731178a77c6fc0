/**
 * The benches' API server as a child process (`workflow-server.ts`): its URL, its clock, its
 * memory and CPU over IPC, so that what the server uses is its own, not the bench's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** Starts the server child on `dbUrl`; `genesis` is the demo beacon's (Unix s, default now). */
export async function startServerChild(
  dbUrl: string,
  { genesis = Math.floor(Date.now() / 1000), execArgv = [] as string[] } = {},
) {
  const child: ChildProcess = fork(resolve(import.meta.dirname, 'workflow-server.ts'), {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, BENCH_DB_URL: dbUrl, BENCH_BEACON_GENESIS: String(genesis) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string) =>
    new Promise<T>((done, failed) => {
      const onExit = (code: number | null) => failed(new Error(`the server exited (${code})`));
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        done(m as T);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = await next<{ url: string }>('url');
  return {
    url,
    /** Moves the server clock forward; returns its offset from real time in ms. */
    advance: async (s: number) => {
      const r = next<{ advanced: number }>('advanced');
      child.send({ advance: s });
      return (await r).advanced;
    },
    /** Its peak and current RSS in bytes, and the CPU seconds it has used. */
    memory: async () => {
      const r = next<{ peak: number; rss: number; cpu: number }>('peak');
      child.send({ rss: true });
      return r;
    },
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.send({ stop: true });
      await exited;
    },
  };
}
