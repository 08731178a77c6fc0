import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  diffClassifications,
  generatedFiles,
  withGeneratedReadme,
  type PackSource,
  type Runtime,
  formatIssue,
  PackRegistry,
  parsePeriod,
  periodOfYear,
  runPackCases,
  simulateYear,
  uncoveredRules,
  type ExplainedCondition,
  type Period,
} from '@spotcheck/rules';
import { loadRuntime } from '@spotcheck/rules/load';
import { packSetFrom, pluginConfigFor, progress, rosterFrom, unitFromFactsFile } from '../rules/sources';

/** How `rules explain` finds a unit by USCC; the database engineer passes a DB lookup here. */
export type UnitLookup = (unitId: string) => Promise<unknown | undefined>;

/** Optional wiring for `registerRules`. */
export interface RulesCommandDeps {
  /** Finds a unit's facts by USCC when `--facts` is not given. */
  readonly lookupUnit?: UnitLookup;
  /** Reads the published pack versions from the database (`--db`). */
  readonly publishedPacks?: () => Promise<PackSource[]>;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** Where packs come from: a rules directory / bundle / git revision, or (`--db`) the published versions. */
interface PackOrigin {
  readonly dir: string;
  readonly db?: boolean;
}

/** The runtime of the plugins `rules/plugins.json` lists (next to the rules directory, else under ./rules). */
async function runtimeFor(dir: string): Promise<Runtime> {
  return loadRuntime(pluginConfigFor(dir));
}

async function sourcesOf(origin: PackOrigin, deps: RulesCommandDeps): Promise<PackSource[]> {
  if (!origin.db) return packSetFrom(origin.dir);
  if (!deps.publishedPacks) throw new Error('--db: no database access in this build');
  const packs = await deps.publishedPacks();
  if (!packs.length) throw new Error('--db: the database has no published rule packs');
  return packs;
}

async function loadRegistry(origin: PackOrigin | string, deps: RulesCommandDeps = {}): Promise<PackRegistry> {
  const o = typeof origin === 'string' ? { dir: origin } : origin;
  const registry = new PackRegistry(await runtimeFor(o.dir));
  const result = registry.load(await sourcesOf(o, deps));
  for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`);
  if (!result.ok)
    throw new Error(
      `rule packs in ${o.db ? 'the database' : o.dir} are invalid (${result.issues.filter((i) => i.severity === 'error').length} errors)`,
    );
  return registry;
}

function periodOption(text: string | undefined, year?: string): Period {
  if (year !== undefined) {
    const y = Number(year);
    if (!Number.isInteger(y) || y < 2000 || y > 2100)
      throw new Error(`--year needs a year like 2027, not ${year}`);
    return periodOfYear(y);
  }
  const p = parsePeriod(text ?? String(new Date().getFullYear()));
  if (typeof p === 'string') throw new Error(p);
  return p;
}

function conditionLines(c: ExplainedCondition, indent: string): string[] {
  const mark = c.result ? '✓' : '✗';
  if ('all' in c)
    return [`${indent}${mark} all of:`, ...c.all.flatMap((x) => conditionLines(x, `${indent}  `))];
  if ('any' in c)
    return [`${indent}${mark} any of:`, ...c.any.flatMap((x) => conditionLines(x, `${indent}  `))];
  if ('not' in c) return [`${indent}${mark} not:`, ...conditionLines(c.not, `${indent}  `)];
  return [
    `${indent}${mark} ${c.fact} ${c.operator} ${JSON.stringify(c.value)}  (unit: ${JSON.stringify(c.factValue)})`,
  ];
}

/** `spotcheck rules validate|test|explain|diff|simulate`: rule packs (R14, B4). */
export function registerRules(program: Command, deps: RulesCommandDeps = {}): void {
  const rules = program.command('rules').description('rule packs: validate, test, explain, diff, simulate');

  rules
    .command('validate')
    .description('validate every pack under a rules directory')
    .argument('[dir]', 'rules directory, .json bundle or git revision', 'rules')
    .option('--db', 'validate the versions published in the database instead')
    .action(async (dir: string, opts: { db?: boolean }) => {
      const registry = new PackRegistry(await runtimeFor(dir));
      const result = registry.load(await sourcesOf({ dir, db: opts.db }, deps));
      for (const issue of result.issues) out(formatIssue(issue));
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      if (!result.ok) {
        out(`${errors} error(s); no pack loaded`);
        process.exitCode = 1;
        return;
      }
      for (const id of registry.ids()) {
        const p = registry.compiledPack(id)!;
        const composed = registry.get(id)!;
        out(
          `ok ${id}@${p.version} ${p.rules.length} rules, ${p.cases.length} cases, digest ${p.digest.slice(0, 16)}…${composed.fastPath.eligible ? '' : ' (no fast path)'}`,
        );
      }
    });

  rules
    .command('test')
    .description('run every case of every pack; fails when a case fails or a rule has no case')
    .argument('[dir]', 'rules directory', 'rules')
    .option('--db', 'test the versions published in the database instead')
    .action(async (dir: string, opts: { db?: boolean }) => {
      const registry = await loadRegistry({ dir, db: opts.db }, deps);
      let passed = 0;
      let failed = 0;
      for (const id of registry.ids()) {
        const pack = registry.compiledPack(id)!;
        const results = await runPackCases(registry.classifier(id), pack);
        for (const r of results) {
          out(`${r.passed ? '✓' : '✗'} ${id} ${r.file.split('/').pop()}: ${r.name}`);
          for (const m of r.mismatches) out(`    ${m}`);
          if (r.passed) passed++;
          else failed++;
        }
        for (const rule of uncoveredRules(pack, results)) {
          out(`✗ ${id}: rule ${rule} has no passing case listing it in expect.fired`);
          failed++;
        }
      }
      out(`${passed} passed, ${failed} failed`);
      if (failed) process.exitCode = 1;
    });

  rules
    .command('explain')
    .description('classify one unit and show which rules fired and why')
    .argument('<uscc>', 'the unit (统一社会信用代码)')
    .option('--pack <id>', "pack id (default: the pack of the unit's bureau)")
    .option('--facts <file>', 'unit facts: a JSON object, array or JSONL')
    .option('--period <period>', '"2027", "2027-Q2" or a date range')
    .option('--dir <dir>', 'rules directory', 'rules')
    .option('--db', 'use the versions published in the database instead of --dir')
    .option('--json', 'print the explanation as JSON')
    .action(
      async (
        uscc: string,
        opts: { pack?: string; facts?: string; period?: string; dir: string; db?: boolean; json?: boolean },
      ) => {
        const lookup: UnitLookup | undefined = opts.facts
          ? async (id) => unitFromFactsFile(opts.facts!, id)
          : deps.lookupUnit;
        if (!lookup) throw new Error('no unit source: pass --facts <file.json>');
        const unit = await lookup(uscc);
        if (unit === undefined)
          throw new Error(`unit ${uscc} not found${opts.facts ? ` in ${opts.facts}` : ''}`);
        const registry = await loadRegistry({ dir: opts.dir, db: opts.db }, deps);
        const bureau = (unit as { bureau?: unknown }).bureau;
        const packId = opts.pack ?? (typeof bureau === 'string' ? registry.forBureau(bureau)?.id : undefined);
        if (!packId) throw new Error('cannot tell which pack applies: pass --pack');
        const e = await registry.classifier(packId).explain(unit, periodOption(opts.period));
        if (opts.json) {
          out(JSON.stringify(e, null, 2));
          return;
        }
        const c = e.classification;
        out(`${e.unitId} — ${e.pack}@${e.version}, period ${e.period.start}…${e.period.end}`);
        out(
          `  stratum ${c.stratum}; ratio ${c.ratio}; ${c.minPerYear}–${c.maxPerYear ?? '∞'} inspections/year; kind ${c.inspectionKind}` +
            `${c.weight !== null ? `; weight ${c.weight}` : ''}${c.specialty ? `; specialty ${c.specialty}` : ''}${c.expert ? '; expert required' : ''}`,
        );
        out(
          `  mandatory: ${c.mandatory ? `yes — ${c.reasons.map((r) => `${r.reason} (${r.rule})`).join('; ')}` : 'no'}`,
        );
        out('');
        for (const r of e.rules) {
          out(`${r.fired ? 'FIRED ' : 'not   '} ${r.rule} — ${r.description}`);
          if (r.fired) {
            out(`       source: ${r.source}; sets ${JSON.stringify(r.sets)}`);
            for (const line of conditionLines(r.conditions, '       ')) out(line);
          }
        }
      },
    );

  rules
    .command('diff')
    .description('which units change stratum between two versions of a pack')
    .argument('<pack@v1>', 'pack id and the first version: a rules directory, .json bundle or git revision')
    .argument('<v2>', 'the second version, same forms')
    .option('--units <file.jsonl>', 'roster: one UnitFacts JSON per line')
    .option('--generate <n>', 'or a generated roster of n units', '10000')
    .option('--seed <n>', 'generator seed', '1')
    .option('--period <period>', 'evaluation period')
    .action(
      async (
        first: string,
        v2: string,
        opts: { units?: string; generate?: string; seed?: string; period?: string },
      ) => {
        const at = first.lastIndexOf('@');
        if (at <= 0)
          throw new Error('write the first argument as <pack>@<version>, e.g. tianjin/binhai@HEAD~1');
        const packId = first.slice(0, at);
        const v1 = first.slice(at + 1);
        const period = periodOption(opts.period);
        // "db" names the versions published in the database.
        const registries = [
          await loadRegistry({ dir: v1 === 'db' ? 'rules' : v1, db: v1 === 'db' }, deps),
          await loadRegistry({ dir: v2 === 'db' ? 'rules' : v2, db: v2 === 'db' }, deps),
        ];
        const bureau = registries[1]!.get(packId)?.bureau;
        const units = rosterFrom({ ...opts, ...(bureau ? { bureau } : {}) });
        const runs = [];
        for (const [i, reg] of registries.entries()) {
          const c = reg.classifier(packId);
          runs.push(
            await c.classifyMany(units, period, { onProgress: progress(`${packId}@${i ? v2 : v1}`) }),
          );
        }
        const ids = units.map((u) => String((u as { unitId?: unknown }).unitId));
        const d = diffClassifications(ids, runs[0]!.results, runs[1]!.results);
        out(`${packId}: ${v1} → ${v2} over ${d.units} units`);
        out(
          `  stratum changed: ${d.stratumChanged}; quota (ratio/floor/cap) changed: ${d.quotaChanged}; became mandatory: ${d.becameMandatory}; no longer mandatory: ${d.noLongerMandatory}`,
        );
        for (const t of d.transitions)
          out(`  ${t.from} → ${t.to}: ${t.units} (e.g. ${t.examples.join(', ')})`);
      },
    );

  rules
    .command('simulate')
    .description(
      'inspections per quarter per stratum against inspector capacity, and mandatory coverage (B4)',
    )
    .argument('<pack>', 'pack id, e.g. tianjin/binhai')
    .requiredOption('--year <year>', 'the plan year')
    .option('--units <file.jsonl>', 'roster: one UnitFacts JSON per line')
    .option('--generate <n>', 'or a generated roster of n units', '10000')
    .option('--seed <n>', 'generator seed', '1')
    .option('--inspectors <n>', 'frontline inspectors', '40')
    .option('--per-inspector <n>', 'inspections one inspector joins per quarter', '30')
    .option('--team-size <n>', 'inspectors per inspection (B3: at least 2)', '2')
    .option('--dir <dir>', 'rules directory', 'rules')
    .option('--db', 'use the versions published in the database instead of --dir')
    .option('--json', 'print the report as JSON')
    .action(async (packId: string, opts: Record<string, string | boolean | undefined>) => {
      const num = (name: string, min: number) => {
        const raw = opts[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
        const v = Number(raw);
        if (!Number.isInteger(v) || v < min)
          throw new Error(`--${name} needs a whole number ≥ ${min}, not ${String(raw)}`);
        return v;
      };
      const registry = await loadRegistry({ dir: String(opts.dir), db: opts.db === true }, deps);
      const classifier = registry.classifier(packId);
      const units = rosterFrom({
        units: opts.units as string | undefined,
        generate: opts.generate as string | undefined,
        seed: opts.seed as string | undefined,
        ...(classifier.pack.bureau ? { bureau: classifier.pack.bureau } : {}),
      });
      const bulk = await classifier.classifyMany(units, periodOption(undefined, String(opts.year)), {
        onProgress: progress(`classify ${packId}`),
      });
      const perQuarter = Math.floor((num('inspectors', 1) * num('per-inspector', 1)) / num('team-size', 2));
      const report = simulateYear(bulk.results, { perQuarter });
      if (opts.json) {
        out(JSON.stringify(report, null, 2));
        return;
      }
      out(
        `${packId} ${String(opts.year)}: ${report.units} units, ${report.mandatoryUnits} mandatory; floor inspections ${report.floorInspections}, sample inspections ${report.sampleInspections}; capacity ${perQuarter}/quarter`,
      );
      for (const q of report.quarters) {
        out(
          `Q${q.quarter}: used ${q.used}/${q.capacity}${q.floorMissed ? `, ${q.floorMissed} floor inspections MISSED` : ''}; mandatory covered ${q.mandatoryCovered}/${report.mandatoryUnits}`,
        );
        for (const s of q.strata) {
          if (s.floor || s.sampleQuota)
            out(
              `    ${s.stratum.padEnd(20)} floor ${String(s.floor).padStart(6)}  sampled ${String(s.sampled).padStart(6)}/${s.sampleQuota}`,
            );
        }
      }
      out(
        `mandatory coverage by Q4: ${report.mandatoryCoverage}${report.mandatoryCoveredByQ4 < report.mandatoryUnits ? ' — NOT all mandatory units inspected: add capacity' : ''}`,
      );
    });

  rules
    .command('generate')
    .description(
      "write the JSON Schemas, the editor catalog and the guide's fact table from the registered plugins",
    )
    .option('--root <dir>', 'repository root', '.')
    .option('--check', 'only check that the committed files are current (exit 1 if not)')
    .action(async (opts: { root: string; check?: boolean }) => {
      const root = resolve(opts.root);
      const runtime = await runtimeFor(join(root, 'rules'));
      const files = generatedFiles(runtime);
      const readme = join(root, 'rules/README.md');
      files['rules/README.md'] = withGeneratedReadme(readFileSync(readme, 'utf8'), runtime.catalog);
      let stale = 0;
      for (const [path, text] of Object.entries(files)) {
        const abs = join(root, path);
        let current = '';
        try {
          current = readFileSync(abs, 'utf8');
        } catch {
          // missing: written below
        }
        if (current === text) continue;
        stale++;
        if (opts.check) out(`stale: ${path}`);
        else {
          mkdirSync(dirname(abs), { recursive: true });
          writeFileSync(abs, text);
          out(`wrote ${path}`);
        }
      }
      out(`${Object.keys(files).length} generated files, ${stale} ${opts.check ? 'stale' : 'updated'}`);
      if (opts.check && stale) process.exitCode = 1;
    });
}
