/** Reading a pack source: its manifest, rule files and case files, each validated by its schema. */
import { z } from 'zod';
import { ZCaseFileSchema, ZManifestSchema, ZRuleFileLoadSchema } from '../schema';
import { hint } from '../messages';
import type { PackSource } from '../types';
import { Issues } from './issues';

/** Reads a file of a source: parsed JSON, raw text parsed now, or undefined with an issue. */
function readJson(source: PackSource, name: string, issues: Issues): unknown {
  const content = source.files[name];
  const file = `${source.origin}/${name}`;
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    issues.error(file, '$', 'json.invalid', { detail: (err as Error).message }, hint('checkJsonSyntax'));
    return undefined;
  }
}

export interface ParsedPack {
  source: PackSource;
  manifest: z.infer<typeof ZManifestSchema>;
  manifestFile: string;
  rules: { file: string; base: string; json: z.infer<typeof ZRuleFileLoadSchema> }[];
  cases: { file: string; json: z.infer<typeof ZCaseFileSchema> }[];
}

export function parseSource(source: PackSource, issues: Issues): ParsedPack | undefined {
  const manifestFile = `${source.origin}/pack.json`;
  if (!('pack.json' in source.files)) {
    issues.error(manifestFile, '$', 'pack.manifestMissing', {}, hint('addManifest'));
    return undefined;
  }
  const m = ZManifestSchema.safeParse(readJson(source, 'pack.json', issues));
  if (!m.success) issues.zod(manifestFile, m.error);
  const rules: ParsedPack['rules'] = [];
  const cases: ParsedPack['cases'] = [];
  for (const name of Object.keys(source.files).sort()) {
    const file = `${source.origin}/${name}`;
    const rule = /^rules\/([^/]+)\.json$/.exec(name);
    const kase = /^cases\/[^/]+\.json$/.test(name);
    if (name === 'pack.json') continue;
    if (!rule && !kase) {
      issues.warn(file, '$', 'pack.fileIgnored', {});
      continue;
    }
    const json = readJson(source, name, issues);
    if (json === undefined) continue;
    if (rule) {
      const r = ZRuleFileLoadSchema.safeParse(json);
      if (!r.success) issues.zod(file, r.error);
      else rules.push({ file, base: rule[1]!, json: r.data });
    } else {
      const c = ZCaseFileSchema.safeParse(json);
      if (!c.success) issues.zod(file, c.error);
      else cases.push({ file, json: c.data });
    }
  }
  return m.success ? { source, manifest: m.data, manifestFile, rules, cases } : undefined;
}
