import { Module } from '@nestjs/common';
import { VerificationJobRunner } from './verification-job.runner';
import { VerificationJobs } from './verification-jobs';

/**
 * Whole-log verification jobs without their routes: AuditModule imports it for the API, and the
 * worker thread's WorkerRoleModule for the runner, which only starts where WORKER is on.
 */
@Module({ providers: [VerificationJobs, VerificationJobRunner], exports: [VerificationJobs] })
export class VerificationJobsModule {}
