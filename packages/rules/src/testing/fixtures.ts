/** Test helpers: the repository's packs as in-memory sources, and a fast-check arbitrary of unit facts. */
import fc from 'fast-check';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CREDIT_GRADES, INDUSTRY_IDS, RISK_GRADES, UNIT_NATURE_IDS, UNIT_SCALES } from '@spotcheck/core';
import type { UnitFacts } from '../facts';
import { generateUnits } from '../generate';
import { discoverPacks } from '../load';
import type { PackSource } from '../types';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The committed packs under rules/, with file contents parsed (so tests can edit them). */
export function repoPacks(): PackSource[] {
  return discoverPacks(join(REPO_ROOT, 'rules'), REPO_ROOT).map((s) => ({
    origin: s.origin,
    files: Object.fromEntries(
      Object.entries(s.files).map(([k, v]) => [k, JSON.parse(v as string) as unknown]),
    ),
  }));
}

/** A deep copy of the sources with `edit` applied to one file of one pack. */
export function withFile(
  sources: readonly PackSource[],
  packDir: string,
  file: string,
  edit: (json: Record<string, unknown>) => unknown,
): PackSource[] {
  return sources.map((s) => {
    const copy: PackSource = { origin: s.origin, files: structuredClone(s.files) };
    if (s.origin.endsWith(packDir)) {
      const files = copy.files as Record<string, unknown>;
      files[file] = edit((files[file] ?? {}) as Record<string, unknown>);
    }
    return copy;
  });
}

const ids = generateUnits(64, { seed: 7 }).map((u) => u.unitId);
const DAY = 86_400_000;
const isoDate = fc
  .integer({ min: 0, max: 2800 })
  .map((d) => new Date(Date.UTC(2020, 0, 1) + d * DAY).toISOString().slice(0, 10));
/** Dates near the rule boundaries (3 years / 24 / 36 months before 2027-01-01) as well as anywhere. */
const edgeDate = fc.oneof(
  isoDate,
  fc.constantFrom(
    '2024-01-01',
    '2024-01-02',
    '2023-12-31',
    '2025-01-01',
    '2025-01-02',
    '2024-01-31',
    '2027-01-01',
  ),
);

/** Arbitrary valid unit facts, biased towards the values the Tianjin packs test. */
export const arbUnitFacts: fc.Arbitrary<UnitFacts> = fc.record({
  unitId: fc.constantFrom(...ids),
  bureau: fc.constantFrom('120116', '120118', '120119', '120101', '120103'),
  street: fc.option(fc.constantFrom('120116001', '120101007'), { nil: null }),
  industry: fc.constantFrom(...INDUSTRY_IDS),
  nature: fc.constantFrom(...UNIT_NATURE_IDS),
  scale: fc.constantFrom(...UNIT_SCALES),
  employees: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(299, 300, 301)),
  riskGrade: fc.constantFrom(...RISK_GRADES),
  creditGrade: fc.constantFrom(...CREDIT_GRADES),
  lastFatalAccidentOn: fc.option(edgeDate, { nil: null }),
  majorHazard: fc.boolean(),
  majorHazardSource: fc.boolean(),
  trialProduction: fc.boolean(),
  resuming: fc.boolean(),
  blacklisted: fc.boolean(),
  jointPunishment: fc.boolean(),
  keyUnit: fc.boolean(),
  crowdedPlace: fc.boolean(),
  dustExplosion: fc.boolean(),
  confinedSpace: fc.boolean(),
  lastInspectedOn: fc.option(edgeDate, { nil: null }),
});
