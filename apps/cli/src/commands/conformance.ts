import type { Command } from 'commander';
import {
  canonical,
  CONFORMANCE_MODES,
  CONFORMANCE_MODES_V2,
  DrawInputError,
  parseStrictJson,
  runConformance,
} from '@spotcheck/core';

/** Reads all of stdin as UTF-8. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes one line to stderr and sets exit code 2 (bad input). */
function badInput(message: string): void {
  process.stderr.write(`spotcheck conformance: ${message.replace(/\s*\n\s*/g, '; ')}\n`);
  process.exitCode = 2;
}

/** `spotcheck conformance <mode>`: one JSON object on stdin → one JSON object on stdout (packages/core/SPEC.md §I.7, §II.7). */
export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description(`run a conformance mode on one JSON object from stdin (${CONFORMANCE_MODES.join(', ')})`)
    .argument('<mode>', CONFORMANCE_MODES.join(' | '))
    .action(async (mode: string) => {
      if (!(CONFORMANCE_MODES as readonly string[]).includes(mode)) {
        badInput(`unknown mode "${mode}" (expected one of ${CONFORMANCE_MODES.join(', ')})`);
        return;
      }
      const text = await readStdin();
      let input: unknown;
      try {
        // sr-draw/v2 modes reject duplicate keys (SPEC §II.8.1); v1 modes read JSON as before.
        input = Object.hasOwn(CONFORMANCE_MODES_V2, mode) ? parseStrictJson(text, 'stdin') : JSON.parse(text);
      } catch (err) {
        badInput(`stdin is not valid JSON: ${(err as Error).message}`);
        return;
      }
      try {
        process.stdout.write(`${canonical(runConformance(mode, input))}\n`);
      } catch (err) {
        if (err instanceof DrawInputError) badInput(err.message);
        else throw err;
      }
    });
}
