import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One run over every package's unit tests and the cross-package suites in test/, from the
// repository root (this file lives in .config/). PGlite costs ~400 MB and seconds to boot per
// instance: keep at most two workers.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser suites poll the page; on a loaded 2-core machine a UI step can take longer than
    // vitest's 1 s default, which made a passing flow fail now and then.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        // Pure functions of each package: no database, server or browser, no state between files,
        // so files share a worker's modules instead of importing them again (the suite's 50 such
        // files took 42 s isolated, 17 s shared).
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'] } },
    ],
  },
});
