import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemDetailsFilter } from './problem-details.filter';

/** One filter for the whole app; contexts inject it to register mappers for their typed errors. */
@Global()
@Module({
  providers: [ProblemDetailsFilter, { provide: APP_FILTER, useExisting: ProblemDetailsFilter }],
  exports: [ProblemDetailsFilter],
})
export class ErrorsModule {}
