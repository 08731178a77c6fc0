// `npm run typecheck`: every workspace package's tsconfig.json and test/tsconfig.json, checked as
// one TypeScript program per distinct set of compiler options rather than one per package.
//
// Each package's own program also checks the source of every package it imports, so the API's
// graph was checked by api, server, cli, ui, admin, portal and test in turn: ~3 min of a CI
// run's 2 cores (issue 16). Packages whose tsconfig says the same thing (same base, same
// compilerOptions) are checked together, each file once; the packages' tsconfigs stay the
// authority (a group's program extends its first member's and includes every member's files).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GROUP_FILE = 'tsconfig.typecheck-group.json';
/** Options naming paths: a project with one of them is checked on its own. */
const PATH_OPTIONS = ['baseUrl', 'paths', 'rootDir', 'rootDirs', 'typeRoots', 'outDir', 'tsBuildInfoFile'];

const dirs = [
  ...['apps', 'packages'].flatMap((d) =>
    readdirSync(join(root, d), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(root, d, e.name)),
  ),
  join(root, 'test'),
].filter((d) => existsSync(join(d, 'tsconfig.json')));

/** Projects by what their tsconfig says besides its files. */
const groups = new Map();
for (const dir of dirs) {
  const file = join(dir, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error)
    throw new Error(`${relative(root, file)}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const {
    extends: base,
    include = ['**/*'],
    exclude,
    files,
    references,
    compilerOptions = {},
    ...rest
  } = config;
  const alone =
    exclude ||
    files ||
    references ||
    Object.keys(rest).length ||
    PATH_OPTIONS.some((o) => o in compilerOptions);
  const key = alone
    ? dir
    : JSON.stringify({ base: base && resolve(dir, base), compilerOptions: sortedKeys(compilerOptions) });
  const group = groups.get(key) ?? [];
  group.push({ dir, include: include.map((p) => resolve(dir, p)) });
  groups.set(key, group);
}

function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys(value[k])]),
    );
  return value;
}

/** One group's program: its own tsconfig when alone, else a file beside its first member's. */
function projectOf(members) {
  const [first] = members;
  if (members.length === 1) return { file: join(first.dir, 'tsconfig.json'), temporary: false };
  const file = join(first.dir, GROUP_FILE);
  const include = members.flatMap((m) => m.include.map((p) => relative(first.dir, p) || '.'));
  writeFileSync(file, `${JSON.stringify({ extends: './tsconfig.json', include }, null, 2)}\n`);
  return { file, temporary: true };
}

const tsc = join(dirname(fileURLToPath(import.meta.resolve('typescript'))), '..', 'bin', 'tsc');
const jobs = [...groups.values()].map((members) => ({ members, ...projectOf(members) }));
const temporary = jobs.filter((j) => j.temporary).map((j) => j.file);
const cleanUp = () => temporary.forEach((f) => rmSync(f, { force: true }));
process.on('SIGINT', () => (cleanUp(), process.exit(130)));

function run(job) {
  const names = job.members.map((m) => relative(root, m.dir)).join(', ');
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [tsc, '-p', job.file, '--pretty', 'false'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} ${names} (${seconds} s)\n${out}`);
      done(code === 0);
    });
  });
}

let failed = false;
try {
  // Two at a time: a program over the API's graph takes ~1 GB.
  const queue = [...jobs];
  const workers = Array.from({ length: Math.min(2, availableParallelism(), queue.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) if (!(await run(job))) failed = true;
  });
  await Promise.all(workers);
} finally {
  cleanUp();
}
process.exit(failed ? 1 : 0);
