/**
 * Scheduled jobs. A feature registers its jobs with {@link registerJob} in its own file and adds
 * one import line below; the runtime (pg-boss on PostgreSQL, in-process on PGlite) schedules every
 * registered job, and the admin's job page lists them with their runs.
 */
import './publication';
import './transparency';
import './consequences';
import './evidence';
import './roster';

export {
  registerJob,
  registeredJobs,
  jobNamed,
  runJob,
  nextRunAt,
  JOB_TIME_ZONE,
  type JobDefinition,
  type JobContext,
  type JobTrigger,
  type JobRunResult,
} from './registry';
export { startJobRuntime, activeJobRuntime, type JobRuntime } from './runtime';
