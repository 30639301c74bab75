import { Module, OnModuleInit } from '@nestjs/common';
import { registerDomainErrorMapper } from '../../platform/errors/domain-error.mapper';
import { ProblemDetailsFilter } from '../../platform/errors/problem-details.filter';
import { EraseSubjectHandler } from './commands/erase-subject/erase-subject.handler';
import { UpdateProfileHandler } from './commands/update-profile/update-profile.handler';
import { MeController } from './me.controller';
import { ExportMyDataHandler } from './queries/export-my-data/export-my-data.handler';
import { GetMeHandler } from './queries/get-me/get-me.handler';
import { GetProfileHandler } from './queries/get-profile/get-profile.handler';

/** Accounts: the caller's identity, encrypted profile, access request and erasure. */
@Module({
  controllers: [MeController],
  providers: [UpdateProfileHandler, EraseSubjectHandler, GetMeHandler, GetProfileHandler, ExportMyDataHandler],
})
export class AccountsModule implements OnModuleInit {
  constructor(private readonly filter: ProblemDetailsFilter) {}

  onModuleInit(): void {
    registerDomainErrorMapper(this.filter);
  }
}
