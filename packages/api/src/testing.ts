/**
 * What the cross-package suites in test/ (and the benches) call below the package's public
 * surface: `@spotcheck/api/testing`. Apps never import it (lint); a test reaches the API's
 * internals only through this list, never through `packages/api/src/...` paths.
 */
export { DigestOf, publish, publishStored } from './lib/publish';
export { canonicalElement, StoredPiece } from './lib/stored-piece';
export { CanonicalPiece } from './lib/canonical';
export { assemblePlanFrame } from './lib/plans/frame';
export { quarterOf, quarterSchedule } from './lib/quarterly';
export { makeWorkCalendar, nthWorkdayAfter, parseCalendarFile } from './lib/work-calendar';
export { publishRegistry } from './lib/key-registry';
export { checkPlannedSources } from './lib/draw-v2';
export { leafHashesFor, loadLeafHashes } from './log/transparency';
export { neutraliseFormula } from './transfer/csv';
export { readRows } from './transfer/read';
export { XLSX_LIMITS } from './transfer/xlsx-limits';
export { UNIT_COUNT_CAP } from './routers/units';
export { verificationChecks } from './lib/verification-memo';
export { publicationRecordReads, recordLoader as publicationRecordLoader } from './lib/publication-record';
export { runDrawCheck } from './lib/draw-check';
export { checkDrawOffThread, checkOffThread, stopVerificationThread } from './lib/verification-thread';
export { signedBundleBytesOf, signedBundleWithInclusionBytesOf } from './lib/void-v2';
export { forgetDrawSummaries } from './lib/draw-view';
export { ProgressBoard, progressReporter } from './lib/progress';
export { logVerificationInputs, type LogVerificationInputs } from './log/proofs';
export { factChangeRows } from './lib/unit-facts';
export { todayInChina } from './lib/scope';
export { lockKeys, lockRoster } from './lib/roster-keys';
export { publishDraw } from './lib/bundle';
export { publishSignatureRecord } from './lib/signature-record';
export { loadDrawHeader } from './lib/workflow';
export { replacementBundleOf } from './lib/replacements';
export { jsonbSize, MAX_JSONB_BYTES } from './lib/jsonb-size';
export { drawPublicationBound, PUBLICATION_REST_BYTES } from './lib/plans/publication-bound';
export { rosterFactsBatch, rosterScope } from './lib/plans/frame';
export { fixObligations } from './lib/plans/approve';
