/**
 * Writes the generated files (rules/schema/*.json and the README's fact table) from the plugins
 * rules/plugins.json lists — the same as `npm run spotcheck -- rules generate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles, withGeneratedReadme } from '../src/artifacts';
import { loadRuntime, pluginConfigPath } from '../src/load';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const runtime = await loadRuntime(pluginConfigPath(root));
for (const [path, text] of Object.entries(generatedFiles(runtime))) writeFileSync(join(root, path), text);
const readme = join(root, 'rules/README.md');
writeFileSync(readme, withGeneratedReadme(readFileSync(readme, 'utf8'), runtime.catalog));
process.stdout.write('wrote rules/schema/*.json and the tables in rules/README.md\n');
