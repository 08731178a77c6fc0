/**
 * Evidence store housekeeping as a job: uploads no record came to name, and files no upload
 * record names, are collected every night once a week old (a result may be recorded days after
 * its photos were uploaded in the field), so abandoned files do not pile up.
 */
import { collectAbandonedEvidence, evidenceDirOf } from '../lib/evidence';
import { registerJob } from './registry';

/** Grace period before an unnamed upload or file is collected. */
export const EVIDENCE_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** Every night at 03:30: abandoned evidence uploads and files older than a week go. */
export const evidenceCollectJob = registerJob({
  name: 'evidence-collect',
  cron: '30 3 * * *',
  description: 'Removes evidence uploads and files that no finding or document names after a week',
  async run({ db, now }) {
    return collectAbandonedEvidence(db, evidenceDirOf(db), now, EVIDENCE_GRACE_MS);
  },
});
