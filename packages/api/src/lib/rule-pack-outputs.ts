/** Output schemas of the rule-pack checks the editor runs (`rulePacks.validate`, `runCases`, `runDraftCases`). */
import { z } from 'zod';
import { HINT_CODES, ISSUE_CODES, type HintCode, type IssueCode } from '@spotcheck/rules';

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
