/**
 * The public log's schedule as jobs: checkpoints of the transparency log (with the in-process demo
 * witnesses' co-signatures when the demo runs them) and signed checkpoints of the audit log head.
 * They show on the admin's job page with their next and last run and failures, like every job.
 */
import { runAuditCheckpoint } from '../audit/checkpoint';
import { keySecretOf } from '../auth/signing-keys';
import { checkpointAndCosign } from '../log/local-witnesses';
import { registerJob } from './registry';

/** Minutes between audit-head checkpoints (`SPOTCHECK_AUDIT_CHECKPOINT_MINUTES`, 1–59; default 10). */
export function auditCheckpointCron(env: NodeJS.ProcessEnv = process.env): string {
  const m = Number(env.SPOTCHECK_AUDIT_CHECKPOINT_MINUTES ?? 10);
  const minutes = Number.isInteger(m) && m >= 1 && m <= 59 ? m : 10;
  return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
}

/**
 * Every minute: a signed checkpoint of the transparency log when it grew (or when the last is 5
 * minutes old, so witnesses always have a fresh one), then the local witnesses co-sign it. A
 * commitment's approval also starts a run at once (its checkpoint time is its commitment time).
 */
export const logCheckpointJob = registerJob({
  name: 'log-checkpoint',
  cron: '* * * * *',
  description: 'Issues a signed checkpoint of the public transparency log for witnesses to co-sign',
  async run({ db, now }) {
    const r = await checkpointAndCosign(db, { now, keySecret: keySecretOf(db) });
    return { issued: r.issued?.size ?? null, time: r.issued?.time ?? null, cosigned: r.cosigned };
  },
});

/** A signed checkpoint of the audit log's head, published (R21), when the head moved. */
export const auditCheckpointJob = registerJob({
  name: 'audit-checkpoint',
  cron: auditCheckpointCron(),
  description: 'Publishes a signed checkpoint of the audit log head after checking its hash chain',
  async run({ db, now }) {
    const cp = await runAuditCheckpoint(db, keySecretOf(db), now);
    return { seq: cp?.seq ?? null };
  },
});
