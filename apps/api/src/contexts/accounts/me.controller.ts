import { Body, Controller, Delete, Get, HttpCode, Put, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { PROFILE_FIELDS } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import { DomainWriteAccess } from '../access/authorization/access.decorator';
import { CurrentCommandContext } from '../access/authorization/command-context';
import { CurrentPrincipal, type Principal } from '../access/authorization/principal';
import { commandMetadata } from '../../platform/commands/command-metadata';
import { ApiConsistentAfter, ApiProblems } from '../../platform/openapi/api-docs.decorators';
import { formatPosition } from '../../platform/projections/positions';
import type { MeView, ProfileView } from './account.views';
import { EraseSubjectCommand } from './commands/erase-subject/erase-subject.command';
import { UpdateProfileCommand, type ProfileChanges } from './commands/update-profile/update-profile.command';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { ExportMyDataQuery } from './queries/export-my-data/export-my-data.query';
import { GetMeQuery } from './queries/get-me/get-me.query';
import { GetProfileQuery } from './queries/get-profile/get-profile.query';

/** SPEC §7.2 `/v1/me…`: the caller's own account, profile, access request and erasure. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOkResponse({ description: '`{id, roles, plan, mfa: {verified, ageMinutes, fresh}}`' })
  @ApiProblems(401)
  me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.queries.execute(new GetMeQuery(principal));
  }

  @Get('profile')
  @ApiOkResponse({ description: '`{displayName, email, phone, erased}`, decrypted; all null with erased true after erasure' })
  @ApiConsistentAfter()
  @ApiProblems(401)
  profile(@CurrentPrincipal() principal: Principal): Promise<ProfileView> {
    return this.queries.execute(new GetProfileQuery(principal.userId));
  }

  @Put('profile')
  @DomainWriteAccess()
  @ApiOkResponse({ description: 'the profile after the change, with `revision` and `position`' })
  @ApiProblems(400, 401, 403, 410)
  async updateProfile(
    @Body() dto: UpdateProfileDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
  ): Promise<ProfileView & { revision: number; position: string }> {
    const changes: ProfileChanges = {};
    for (const field of PROFILE_FIELDS) if (dto[field] !== undefined) changes[field] = dto[field];
    const result = await this.commands.execute(new UpdateProfileCommand(principal.userId, changes, context, commandMetadata()));
    return { ...result.profile, revision: result.revision, position: formatPosition(result.position) };
  }

  /** NDJSON, streamed with backpressure: a header line, one line per event, an `end` line with the count. */
  @Get('export')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'NDJSON: an `export` header line, one `event` line per event about the caller (decrypted), an `end` line with the count' })
  @ApiConsistentAfter()
  @ApiProblems(401)
  async export(@CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const lines = await this.queries.execute(new ExportMyDataQuery(principal.userId, new Date().toISOString()));
    return new StreamableFile(Readable.from(lines, { objectMode: false, highWaterMark: 16 * 1024 }), {
      type: 'application/x-ndjson',
      disposition: 'attachment; filename="ledgerline-export.ndjson"',
    });
  }

  /** Erasure (SPEC §6): needs a fresh second factor; the subject's data key is destroyed at once. */
  @Delete()
  @DomainWriteAccess({ mfa: true })
  @HttpCode(202)
  @ApiAcceptedResponse({ description: '`{erased: true, position}`: the data key is destroyed and SubjectErased recorded' })
  @ApiProblems(401, 403, 410)
  async erase(
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
  ): Promise<{ erased: true; position: string }> {
    const result = await this.commands.execute(new EraseSubjectCommand(principal.userId, context, commandMetadata()));
    return { erased: true, position: formatPosition(result.position) };
  }
}
