import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepStaleSpoolDirs } from './spool-dir';

const root = mkdtempSync(join(tmpdir(), 'spool-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

describe('import folders left by killed processes', () => {
  it('removes only the folders of ended processes, never a live one or a stranger', async () => {
    const dead = deadPid();
    const folders = {
      dead: `spotcheck-import-${dead}-aB3dE9`,
      mine: `spotcheck-import-${process.pid}-Zz0011`,
      parent: `spotcheck-import-${process.ppid}-Qq2233`,
      unnamed: 'spotcheck-import-XyZ123',
      other: 'someone-elses-42-folder',
    };
    for (const name of Object.values(folders)) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'rows.csv'), 'a,b\n');
    }
    expect(await sweepStaleSpoolDirs(root)).toEqual([folders.dead]);
    expect(readdirSync(root).sort()).toEqual(
      [folders.mine, folders.parent, folders.unnamed, folders.other].sort(),
    );
  });

  it('a missing folder sweeps nothing', async () => {
    expect(await sweepStaleSpoolDirs(join(root, 'absent'))).toEqual([]);
  });
});
