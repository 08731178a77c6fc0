import { sha256hex } from './draw/canonical';

/** The fields of a checklist item 随机抽查事项 that its version's digest covers. */
export interface ChecklistItemContent {
  code: string;
  subject: string;
  item: string;
  content: string;
  legalBasis: string;
  industries: readonly string[];
  inspectionKinds: readonly string[];
  /** Risk grades the item applies to; empty or absent means all. */
  riskGrades?: readonly string[];
}

/**
 * Digest of a checklist version (R2): SHA-256 of the canonical JSON of its items sorted by code,
 * each with exactly the published fields (sets sorted). A draw's commitment carries it.
 */
export function checklistDigest(items: readonly ChecklistItemContent[]): string {
  return sha256hex(
    [...items]
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((i) => ({
        code: i.code,
        subject: i.subject,
        item: i.item,
        content: i.content,
        legalBasis: i.legalBasis,
        industries: [...i.industries].sort(),
        inspectionKinds: [...i.inspectionKinds].sort(),
        // Only when set, so versions published before risk grades existed keep their digests.
        ...(i.riskGrades?.length ? { riskGrades: [...i.riskGrades].sort() } : {}),
      })),
  );
}
