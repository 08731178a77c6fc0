/**
 * Private temporary folders for imports (an uploaded XLSX, the COPY lines of a roster import).
 * A process removes its own folder when the import ends, but a process killed with SIGKILL cannot:
 * each folder is named after the process that made it (`spotcheck-import-<pid>-` and six random characters), and
 * folders whose process is gone are swept when the server starts and whenever a new one is made.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'spotcheck-import-';
const NAMED = /^spotcheck-import-(\d+)-/;

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the import folders in `dir` (default: the system's temporary folder) whose process has
 * ended; folders of live processes, and anything not named like ours, stay. Returns what it removed.
 */
export async function sweepStaleSpoolDirs(dir = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const pid = NAMED.exec(name)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid));
  });
  await Promise.all(stale.map((name) => rm(join(dir, name), { recursive: true, force: true })));
  return stale;
}

/** A new private folder for one import, after sweeping those that killed processes left behind. */
export async function makeSpoolDir(): Promise<string> {
  await sweepStaleSpoolDirs();
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
}
