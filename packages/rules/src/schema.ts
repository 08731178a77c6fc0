/**
 * The pack format: manifest (`pack.json`), rule files (`rules/<name>.json`, json-rules-engine's
 * rule format plus `meta`) and case files (`cases/<name>.json`). The zod schemas here validate
 * packs when they load and are exported as JSON Schema under rules/ for editors.
 */
import { z } from 'zod';
import { FORMAT_MESSAGES } from './messages';
import { INSPECTION_KINDS, SPECIALTY_IDS } from '@spotcheck/core';
import { isIsoDate, ZUnitFactsSchema } from './facts';
import { RATIO_PATTERN } from './ratio';

/** Stratum ids are ASCII ids (they become draw-frame identifiers). */
export const STRATUM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Pack ids: `<city>/<district>` (or `<city>/city` for the city pack). */
export const PACK_ID = /^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/;
/** Rule names: kebab-case, also the rule file's base name. */
export const RULE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

const ZRatio = z.string().regex(RATIO_PATTERN, FORMAT_MESSAGES.ratio);
const ZStratum = z.string().regex(STRATUM_ID, FORMAT_MESSAGES.stratum);
const ZDate = z.string().refine(isIsoDate, { message: FORMAT_MESSAGES.date });

/** What a rule's event sets when the rule fires (every field optional; see README for how they combine). */
export const ZClassifyParamsSchema = z
  .strictObject({
    stratum: ZStratum.optional().describe('stratum id the unit is drawn in (highest-priority rule wins)'),
    mandatory: z.boolean().optional().describe('true: must be inspected this year (R11); combines with OR'),
    reason: z.string().min(1).optional().describe('why the unit is mandatory (required with mandatory)'),
    minPerYear: z.int().min(0).max(52).optional().describe('minimum inspections per year; combines with max'),
    maxPerYear: z.int().min(0).max(52).optional().describe('maximum inspections per year; combines with min'),
    ratio: ZRatio.optional().describe('sampling ratio per year, exact: "5%" or "1/20"; combines with max'),
    weight: z.int().min(1).max(1000).optional().describe('draw weight ≥ 1; combines with max'),
    specialty: z
      .enum(SPECIALTY_IDS)
      .optional()
      .describe('inspector specialty required (highest priority wins)'),
    expert: z.boolean().optional().describe('an industry expert must join; combines with OR'),
    inspectionKind: z
      .enum(INSPECTION_KINDS)
      .optional()
      .describe('inspection kind; the strictest of the fired rules wins (covert > key > general)'),
  })
  .refine((p) => Object.keys(p).length > 0, { message: FORMAT_MESSAGES.eventEmpty })
  .refine((p) => p.mandatory !== true || p.reason !== undefined, {
    message: FORMAT_MESSAGES.mandatoryReason,
    path: ['reason'],
  });

/** Fields a rule's event may set. */
export type ClassifyParams = z.infer<typeof ZClassifyParamsSchema>;

/** A rule's event: json-rules-engine's `{type, params}` with type `classify`. */
export const ZEventSchema = z.strictObject({ type: z.literal('classify'), params: ZClassifyParamsSchema });

/** A leaf condition: fact, operator, constant value (json-rules-engine format). */
export const ZLeafConditionSchema = z.strictObject({
  fact: z.string().describe('a base or derived fact name'),
  operator: z.string().describe('equal, notEqual, in, notIn, lessThan, …, withinYears, overdueMonths'),
  value: z.unknown().describe('the constant compared with the fact'),
  path: z.string().optional().describe('jsonpath into the fact (disables the fast path)'),
  params: z.record(z.string(), z.unknown()).optional().describe('fact parameters (disables the fast path)'),
  name: z.string().optional(),
  priority: z.int().min(1).optional(),
});

/** A condition tree: leaf, all, any or not. */
export type ConditionJson =
  | z.infer<typeof ZLeafConditionSchema>
  | { all: ConditionJson[]; name?: string; priority?: number }
  | { any: ConditionJson[]; name?: string; priority?: number }
  | { not: ConditionJson; name?: string; priority?: number };

/** The recursive condition schema (for JSON Schema; loading walks conditions by hand for precise errors). */
export const ZConditionSchema: z.ZodType<ConditionJson> = z.lazy(() =>
  z.union([
    ZLeafConditionSchema,
    z.strictObject({
      all: z.array(ZConditionSchema).min(1),
      name: z.string().optional(),
      priority: z.int().min(1).optional(),
    }),
    z.strictObject({
      any: z.array(ZConditionSchema).min(1),
      name: z.string().optional(),
      priority: z.int().min(1).optional(),
    }),
    z.strictObject({
      not: ZConditionSchema,
      name: z.string().optional(),
      priority: z.int().min(1).optional(),
    }),
  ]),
);

/** A rule's `meta` block (ESLint style): what it does and where the law says so. */
export const ZRuleMetaSchema = z.strictObject({
  description: z.string().min(1).describe('what the rule does, in plain words'),
  source: z.string().min(1).describe('legal source, e.g. "津应急执〔2018〕1号 (五)"'),
});

const ruleFields = {
  $schema: z.string().optional(),
  name: z.string().regex(RULE_NAME, FORMAT_MESSAGES.ruleName).describe('equals the file name'),
  priority: z.int().min(1).max(100).optional().describe('1–100, default 1; decides stratum/specialty/kind'),
  meta: ZRuleMetaSchema,
  event: ZEventSchema,
};

/** A rule file (JSON Schema form, with the recursive condition tree). */
export const ZRuleFileSchema = z.strictObject({
  ...ruleFields,
  conditions: z.union([
    z.strictObject({ all: z.array(ZConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ZConditionSchema).min(1) }),
    z.strictObject({ not: ZConditionSchema }),
  ]),
});

/** A rule file as parsed on load; `conditions` is then checked by the condition walker. */
export const ZRuleFileLoadSchema = z.strictObject({ ...ruleFields, conditions: z.unknown() });

/** Per-pack defaults: the classification of a unit no rule sets a field for (root packs only). */
export const ZDefaultsSchema = z.strictObject({
  stratum: ZStratum,
  ratio: ZRatio,
  minPerYear: z.int().min(0).max(52),
  maxPerYear: z.int().min(0).max(52).nullable(),
  inspectionKind: z.enum(INSPECTION_KINDS),
});

/** Pack defaults. */
export type PackDefaults = z.infer<typeof ZDefaultsSchema>;

/** The manifest `pack.json`. */
export const ZManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(PACK_ID, FORMAT_MESSAGES.packId),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, FORMAT_MESSAGES.version),
  title: z.string().min(1).describe('human title, e.g. "滨海新区规则包"'),
  extends: z.string().regex(PACK_ID).optional().describe('the city pack a district pack tightens'),
  bureau: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('GB/T 2260 code of the district whose units this pack classifies'),
  effective: ZDate.describe('date from which the pack applies'),
  author: z.string().min(1),
  description: z.string().optional(),
  facts: z.array(z.string()).min(1).describe('every fact the pack reads'),
  defaults: ZDefaultsSchema.optional().describe('root (city) packs only'),
});

/** A parsed manifest. */
export type Manifest = z.infer<typeof ZManifestSchema>;

/** Expected classification of a case; only the fields given are compared. */
export const ZExpectSchema = z.strictObject({
  stratum: ZStratum.optional(),
  mandatory: z.boolean().optional(),
  minPerYear: z.int().min(0).optional(),
  maxPerYear: z.int().min(0).nullable().optional(),
  ratio: ZRatio.optional(),
  weight: z.int().min(1).nullable().optional(),
  specialty: z.enum(SPECIALTY_IDS).nullable().optional(),
  expert: z.boolean().optional(),
  inspectionKind: z.enum(INSPECTION_KINDS).optional(),
  fired: z
    .array(z.string())
    .optional()
    .describe('exactly the rules that fire: names of this pack, or "<pack>#<name>" of the city pack'),
});

/** A case file: shared base facts, then cases that override some facts and state the expected outcome. */
export const ZCaseFileSchema = z.strictObject({
  $schema: z.string().optional(),
  period: z.string().describe('"2027", "2027-Q2" or "2027-01-01/2027-07-01"'),
  base: ZUnitFactsSchema.partial().optional(),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        facts: ZUnitFactsSchema.partial(),
        period: z.string().optional(),
        expect: ZExpectSchema,
      }),
    )
    .min(1),
});

/** A parsed case file. */
export type CaseFile = z.infer<typeof ZCaseFileSchema>;

/** Fact and operator names a JSON Schema lists (from the registered plugins). */
export interface SchemaVocabulary {
  readonly facts: readonly string[];
  readonly operators: readonly string[];
}

/** The condition tree with `fact` and `operator` restricted to a vocabulary. */
function conditionSchemaFor(vocabulary: SchemaVocabulary): z.ZodType<ConditionJson> {
  const leaf = ZLeafConditionSchema.extend({
    fact: z
      .enum(vocabulary.facts as [string, ...string[]])
      .describe('a registered fact (see rules/README.md)'),
    operator: z.enum(vocabulary.operators as [string, ...string[]]).describe('a registered operator'),
  });
  const node: z.ZodType<ConditionJson> = z.lazy(() =>
    z.union([
      leaf,
      z.strictObject({
        all: z.array(node).min(1),
        name: z.string().optional(),
        priority: z.int().min(1).optional(),
      }),
      z.strictObject({
        any: z.array(node).min(1),
        name: z.string().optional(),
        priority: z.int().min(1).optional(),
      }),
      z.strictObject({ not: node, name: z.string().optional(), priority: z.int().min(1).optional() }),
    ]),
  );
  return node;
}

/**
 * JSON Schemas of the three file kinds, for editors (`$schema` in each file points at them).
 * With a vocabulary (the runtime's registered facts and operators), fact and operator names are
 * listed as enums, so an editor completes them.
 */
export function packJsonSchemas(vocabulary?: SchemaVocabulary): Record<'pack' | 'rule' | 'cases', unknown> {
  const opts = { unrepresentable: 'any' as const, io: 'input' as const };
  const condition = vocabulary ? conditionSchemaFor(vocabulary) : ZConditionSchema;
  const rule = z.strictObject({
    ...ruleFields,
    conditions: z.union([
      z.strictObject({ all: z.array(condition).min(1) }),
      z.strictObject({ any: z.array(condition).min(1) }),
      z.strictObject({ not: condition }),
    ]),
  });
  const manifest = vocabulary
    ? ZManifestSchema.extend({
        facts: z
          .array(z.enum(vocabulary.facts as [string, ...string[]]))
          .min(1)
          .describe('every fact the pack reads'),
      })
    : ZManifestSchema;
  return {
    pack: z.toJSONSchema(manifest, opts),
    rule: z.toJSONSchema(rule, opts),
    cases: z.toJSONSchema(ZCaseFileSchema, opts),
  };
}
