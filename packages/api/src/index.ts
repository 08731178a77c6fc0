export * from './trpc';
export * from './root';
export { ApiError, apiError, refusalBody } from './lib/errors';
export { hashPassword, verifyPassword } from './auth/password';
export {
  createUser,
  CreateUserError,
  type CreateUserInput,
  type RoleGrant,
  type PublicUser,
} from './auth/users';
export {
  SESSION_COOKIE,
  createSession,
  resolveSession,
  readCookie,
  sessionCookie,
  type SessionUser,
} from './auth/sessions';
export {
  keySecretFromEnv,
  keySecretFor,
  dataDirKeySecret,
  KEY_SECRET_FILE,
  verifyEd25519,
  drawSignatureMessage,
} from './auth/signing-keys';
export type { RedactionReason } from './lib/redact';
export { newApiToken, resolveApiToken, API_TOKEN_SCOPES, type ApiTokenInfo } from './auth/api-tokens';
export {
  appendAudit,
  verifyAuditChain,
  auditEventHash,
  GENESIS_HASH,
  type AuditChainReport,
  type AuditChainProblem,
} from './audit/chain';
export { canonicalJson, sha256Hex, digestOf } from './lib/canonical';
export { runImport, MAX_BASE64_IMPORT_BYTES } from './routers/transfer';
export {
  importSpreadsheet,
  type ImportOptions,
  type ImportReport,
  type ImportProblem,
} from './transfer/import';
export { sweepStaleSpoolDirs } from './transfer/spool-dir';
export { exportList, template as importTemplate, type TransferFile } from './transfer/export';
export { TRANSFER_KINDS, type TransferKind } from './transfer/kinds';
export { TRANSFER_FORMATS, type TransferFormat } from './transfer/read';
export { unitFactsOf } from './lib/plans/frame';
export { publishedPackSources, rulesRuntime } from './lib/rule-packs';
export { installRulePacks } from './lib/install-packs';
export {
  evidenceDirFromEnv,
  evidencePath,
  storeEvidence,
  collectAbandonedEvidence,
  evidenceDirOf,
  registerEvidenceDir,
  EmptyEvidenceError,
  hasControlCharacter,
  evidenceBytesUploaded,
  holdEvidenceQuota,
  releaseEvidenceQuota,
  EVIDENCE_QUOTA_BYTES_PER_DAY,
  EVIDENCE_QUOTA_HOLD_MS,
  EVIDENCE_QUOTA_MIN_BYTES,
  evidenceQuotaCharge,
  type EvidenceQuotaHold,
  EvidenceTooLargeError,
  MAX_EVIDENCE_BYTES,
  ZEvidenceSchema,
  type TEvidence,
} from './lib/evidence';
export { evidenceForDownload } from './routers/results';
export { publishLoadedBaseline } from './lib/baseline';
export * from './lib/runtime';
export { publicationRecords, type PublicationRecord } from './lib/publication-record';
export { internalError, internalErrorMessage, isDatabaseError, toClientError } from './lib/errors';
export {
  runAuditCheckpoint,
  listAuditCheckpoints,
  checkCheckpointSignatures,
  checkpointKeys,
  verifyCheckpointSignature,
  type AuditCheckpoint,
} from './audit/checkpoint';
export {
  beaconFromEnv,
  beaconDirFromEnv,
  demoBeaconFromDir,
  localDemoBeacon,
  relayBeacon,
  QUICKNET,
  type Beacon,
} from './lib/beacon';
export { VOID_REASONS } from './lib/draw-v2';
export { KEY_VALIDITY_DELAY_SECONDS } from './lib/key-registry';
export { EXCLUDED_REASONS } from './lib/plans/exclusions';
export type * from './lib/publications-v2';
export {
  registerJob,
  registeredJobs,
  runJob,
  startJobRuntime,
  activeJobRuntime,
  type JobDefinition,
  type JobRuntime,
} from './jobs';
export { OPEN_DATASETS, openDataRows, toCsv, type OpenDataset } from './lib/open-data';
export {
  appendLogLeaf,
  issueCheckpoint,
  activeWitnesses,
  latestCheckpoint,
  publicationInclusion,
  consistencyBetween,
  logOriginFromEnv,
  LOG_ENTRIES_INLINE_BYTES,
  type IssueCheckpointOptions,
} from './log/transparency';
export {
  enableDemoWitnesses,
  disableLocalWitnesses,
  checkpointAndCosign,
  cosignLocally,
  demoWitnessKey,
  DEMO_WITNESSES,
  type LocalWitness,
} from './log/local-witnesses';
export { logCheckpointJob, auditCheckpointJob } from './jobs/transparency';
export { drawBundleFile } from './routers/draws';
