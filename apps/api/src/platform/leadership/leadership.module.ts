import { Global, Module } from '@nestjs/common';
import { WorkerRole } from './worker-role';

@Global()
@Module({ providers: [WorkerRole], exports: [WorkerRole] })
export class LeadershipModule {}
