/**
 * Output schemas of the rule-pack checks the editor runs (`rulePacks.validate`, `runCases`,
 * `runDraftCases`) and of the analyses (`explain`, `diff`, `simulate`).
 */
import { z } from 'zod';
import { INSPECTION_KINDS, SPECIALTY_IDS, VERSION_STATUSES, type Specialty } from '@spotcheck/core';
import {
  HINT_CODES,
  ISSUE_CODES,
  type ClassifyParams,
  type ExplainedCondition,
  type HintCode,
  type IssueCode,
} from '@spotcheck/rules';

const ZParamsSchema = z.record(z.string(), z.unknown());

/** A suggested fix: its code and parameters. */
const ZHintSchema = z.object({
  code: z.enum(HINT_CODES as [HintCode, ...HintCode[]]),
  params: ZParamsSchema,
});

/** A problem found when loading a pack: file, JSON path, code with parameters, English text. */
export const ZPackIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  file: z.string(),
  path: z.string(),
  code: z.enum(ISSUE_CODES as [IssueCode, ...IssueCode[]]),
  params: ZParamsSchema,
  message: z.string(),
  hint: ZHintSchema.optional(),
  suggestion: z.string().optional(),
});

/** {@link ZPackIssueSchema} with absent hint and suggestion as null (`rulePacks.validate`). */
export const ZPackIssueOrNullsSchema = ZPackIssueSchema.extend({
  hint: ZHintSchema.nullable(),
  suggestion: z.string().nullable(),
});

/** The outcome of a pack's own cases, and the rules no passing case exercises. */
export const ZCaseRunSchema = z.object({
  passed: z.number(),
  failed: z.number(),
  results: z.array(
    z.object({
      file: z.string(),
      name: z.string(),
      passed: z.boolean(),
      mismatches: z.array(z.string()).readonly(),
      diffs: z.array(z.object({ field: z.string(), expected: z.unknown(), actual: z.unknown() })).readonly(),
    }),
  ),
  uncoveredRules: z.array(z.string()),
  ruleLabels: z.record(z.string(), z.string()),
});

const ZLabelSchema = z.object({ zh: z.string(), en: z.string() });
const ZFactKindSchema = z.enum(['boolean', 'enum', 'number', 'string', 'date']);
const ZFactTypeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('boolean') }),
  z.object({ kind: z.literal('enum'), values: z.array(z.string()).readonly() }),
  z.object({ kind: z.literal('number'), nullable: z.boolean() }),
  z.object({ kind: z.literal('string'), nullable: z.boolean() }),
  z.object({ kind: z.literal('date'), nullable: z.boolean() }),
]);

/** The registered facts and operators (built-in and plugins), as the rule editor lists them. */
export const ZCatalogSchema = z.object({
  facts: z
    .array(
      z.object({
        name: z.string(),
        plugin: z.string(),
        from: z.enum(['unit', 'derived']),
        type: ZFactTypeSchema,
        label: ZLabelSchema,
        description: z.string(),
        valueLabels: z.record(z.string(), ZLabelSchema).optional(),
        reads: z.array(z.string()).readonly().optional(),
      }),
    )
    .readonly(),
  operators: z
    .array(
      z.object({
        name: z.string(),
        plugin: z.string(),
        label: ZLabelSchema,
        description: z.string(),
        appliesTo: z.array(ZFactKindSchema).readonly().nullable(),
      }),
    )
    .readonly(),
});

/** A period as the rules read it: `[start, end)` as ISO dates. */
const ZPeriodSchema = z.object({ start: z.string(), end: z.string() });

/** A unit's classification for a period (`@spotcheck/rules` `Classification`). */
export const ZClassificationSchema = z.object({
  stratum: z.string(),
  mandatory: z.boolean(),
  reasons: z.array(z.object({ rule: z.string(), reason: z.string() })).readonly(),
  minPerYear: z.number(),
  maxPerYear: z.number().nullable(),
  ratio: z.string(),
  weight: z.number().nullable(),
  specialty: z.enum(SPECIALTY_IDS as [Specialty, ...Specialty[]]).nullable(),
  expert: z.boolean(),
  inspectionKind: z.enum(INSPECTION_KINDS),
  fired: z.array(z.string()).readonly(),
});

/** A condition tree node of an explanation, with the unit's fact value at each leaf. */
const ZExplainedConditionSchema: z.ZodType<ExplainedCondition> = z.lazy(() =>
  z.union([
    z.object({
      fact: z.string(),
      operator: z.string(),
      value: z.unknown(),
      factValue: z.unknown(),
      result: z.boolean(),
    }),
    z.object({ all: z.array(ZExplainedConditionSchema).readonly(), result: z.boolean() }),
    z.object({ any: z.array(ZExplainedConditionSchema).readonly(), result: z.boolean() }),
    z.object({ not: ZExplainedConditionSchema, result: z.boolean() }),
  ]),
);

/** `rulePacks.explain`: why a unit gets its classification, rule by rule. */
export const ZExplanationSchema = z.object({
  pack: z.string(),
  version: z.string(),
  period: ZPeriodSchema,
  unitId: z.string(),
  facts: z.record(z.string(), z.unknown()),
  classification: ZClassificationSchema,
  rules: z
    .array(
      z.object({
        rule: z.string(),
        file: z.string(),
        description: z.string(),
        source: z.string(),
        fired: z.boolean(),
        sets: z.record(z.string(), z.unknown()) as unknown as z.ZodType<ClassifyParams, ClassifyParams>,
        conditions: ZExplainedConditionSchema,
      }),
    )
    .readonly(),
});

/** The part of a classification `rulePacks.diff` compares. */
const ZBriefSchema = ZClassificationSchema.pick({
  stratum: true,
  mandatory: true,
  ratio: true,
  minPerYear: true,
  maxPerYear: true,
});
const ZVersionRefSchema = z.object({
  id: z.string(),
  packId: z.string(),
  version: z.string(),
  status: z.enum(VERSION_STATUSES),
});

/** `rulePacks.diff`: the units whose classification changes between two pack versions. */
export const ZPackDiffSchema = z.object({
  from: ZVersionRefSchema,
  to: ZVersionRefSchema,
  period: z.string(),
  bureauCode: z.string().nullable(),
  units: z.number(),
  changedUnits: z.number(),
  stratumChanged: z.number(),
  becameMandatory: z.number(),
  noLongerMandatory: z.number(),
  ratioChanged: z.number(),
  quotaChanged: z.number(),
  transitions: z
    .array(z.object({ from: z.string(), to: z.string(), units: z.number(), examples: z.array(z.string()) }))
    .readonly(),
  rows: z.array(
    z.object({
      unitId: z.string(),
      name: z.string(),
      bureauCode: z.string(),
      from: ZBriefSchema,
      to: ZBriefSchema,
    }),
  ),
});

/** The year through the real plan → draw pipeline (`rulePacks.simulate`'s `pipeline`). */
const ZPipelineSchema = z.object({
  seed: z.string(),
  teamSize: z.number(),
  quarters: z.array(
    z.object({
      period: z.string(),
      frameSize: z.number(),
      selected: z.number(),
      sampled: z.number(),
      ratioQuota: z.number(),
    }),
  ),
  classes: z.array(
    z.object({
      pack: z.string(),
      stratum: z.string(),
      ratio: z.string(),
      units: z.number(),
      expectedShare: z.number(),
      drawn: z.number(),
      achievedShare: z.number(),
      z: z.number(),
    }),
  ),
  mandatory: z.object({ units: z.number(), met: z.number(), missed: z.array(z.string()) }),
});

/** `rulePacks.simulate`: a year of the bureau's units under a pack version against its capacity. */
export const ZPackSimulationSchema = z.object({
  pipeline: ZPipelineSchema.nullable(),
  pipelineProblem: z.string().nullable(),
  id: z.string(),
  packId: z.string(),
  version: z.string(),
  bureauCode: z.string(),
  year: z.number(),
  inspectors: z.number(),
  inspectorSlotsPerQuarter: z.number(),
  teamSize: z.number(),
  capacityPerQuarter: z.number(),
  units: z.number(),
  mandatoryUnits: z.number(),
  floorInspections: z.number(),
  sampleInspections: z.number(),
  quarters: z
    .array(
      z.object({
        quarter: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
        capacity: z.number(),
        used: z.number(),
        floorMissed: z.number(),
        strata: z
          .array(
            z.object({
              stratum: z.string(),
              floor: z.number(),
              sampled: z.number(),
              sampleQuota: z.number(),
            }),
          )
          .readonly(),
        mandatoryCovered: z.number(),
      }),
    )
    .readonly(),
  mandatoryCoveredByQ4: z.number(),
  mandatoryCoverage: z.string(),
});
