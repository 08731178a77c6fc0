/** Writes the pack JSON Schemas to rules/schema/ (run `pnpm --filter @spotcheck/rules schema`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packJsonSchemas } from '../src/schema';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../rules/schema');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(packJsonSchemas())) {
  writeFileSync(join(dir, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
process.stdout.write(`wrote ${dir}/{pack,rule,cases}.schema.json\n`);
