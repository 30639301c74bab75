import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ShareAccess } from '@ledgerline/domain';
import { timeOrderedId, type CommandContext } from '@ledgerline/ledger';
import { DomainWriteAccess } from '../access/authorization/access.decorator';
import { CurrentCommandContext } from '../access/authorization/command-context';
import { CurrentPrincipal, type Principal } from '../access/authorization/principal';
import { formatPosition } from '../../platform/projections/positions';
import { CreateDocumentCommand } from './commands/create-document/create-document.command';
import { DeleteDocumentCommand } from './commands/delete-document/delete-document.command';
import type { DocumentCommandResult } from './commands/document-command-result';
import { EditDocumentCommand } from './commands/edit-document/edit-document.command';
import { ShareDocumentCommand } from './commands/share-document/share-document.command';
import { UnshareDocumentCommand } from './commands/unshare-document/unshare-document.command';
import { commandMetadata } from '../../platform/commands/command-metadata';
import type { DocumentSummary, DocumentView, Page } from './document.views';
import { CreateDocumentDto } from './dto/create-document.dto';
import { EditDocumentDto } from './dto/edit-document.dto';
import { ListDocumentsQueryDto } from './dto/list-documents.query-dto';
import { ShareDocumentDto } from './dto/share-document.dto';
import { DocumentIdPipe } from './http/document-id.pipe';
import { etagOf, expectedRevisionFrom } from './http/etag';
import { UserIdPipe } from './http/user-id.pipe';
import { GetDocumentQuery } from './queries/get-document/get-document.query';
import { decodeDocumentCursor } from './queries/list-documents/document-cursor';
import { ListDocumentsQuery } from './queries/list-documents/list-documents.query';
import { ApiConsistentAfter, ApiIfMatch, ApiProblems } from '../../platform/openapi/api-docs.decorators';
import { invalidRequest } from '../../platform/openapi/validation-problem';
import { Idempotency } from '../../platform/idempotency/idempotency';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

/** What a document command answers: `position` is the append's global position (decimal string). */
export interface DocumentChange {
  id: string;
  revision: number;
  position: string;
}

function change(result: DocumentCommandResult, reply: FastifyReply): DocumentChange {
  void reply.header('etag', etagOf(result.revision));
  return { id: result.documentId, revision: result.revision, position: formatPosition(result.position) };
}

/** SPEC §7.2 documents: the owner and the people it is shared with; everyone else gets 404. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('v1/documents')
export class DocumentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @Idempotent()
  @DomainWriteAccess()
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{id, revision, position}`; Location and ETag headers' })
  @ApiProblems(400, 401, 403, 410)
  async create(
    @Body() dto: CreateDocumentDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Req() request: FastifyRequest,
  ): Promise<DocumentChange> {
    return this.idempotency.run(request, reply, async () => {
      // A time-ordered id: the new document's rows go to the right edge of every index keyed by it, not to a random page.
      // The time it carries is the document's createdAt, which whoever may read the document sees anyway.
      const result = await this.commands.execute(
        new CreateDocumentCommand(timeOrderedId(), principal.userId, dto.title, dto.body, context, commandMetadata()),
      );
      void reply.header('location', `/v1/documents/${result.documentId}`);
      return change(result, reply);
    });
  }

  @Get()
  @ApiOkResponse({ description: '`{items, nextCursor}`: the caller\'s documents and those shared with them, newest first' })
  @ApiConsistentAfter()
  @ApiProblems(400, 401)
  async list(@Query() query: ListDocumentsQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<DocumentSummary>> {
    const after = query.cursor === undefined ? undefined : decodeDocumentCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw invalidRequest([{ field: 'cursor', rules: ['cursor'] }]);
    return this.queries.execute(new ListDocumentsQuery(principal.userId, query.limit, after));
  }

  @Get(':id')
  @ApiOkResponse({ description: 'the document, decrypted for the caller (title and body null when its owner was erased); ETag header' })
  @ApiProblems(401, 404)
  async get(
    @Param('id', DocumentIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentView> {
    const view = await this.queries.execute(new GetDocumentQuery(id, principal.userId));
    void reply.header('etag', etagOf(view.revision));
    return view;
  }

  @Patch(':id')
  @DomainWriteAccess()
  @ApiOkResponse({ description: '`{id, revision, position}`; ETag header' })
  @ApiIfMatch()
  @ApiProblems(400, 401, 403, 404, 410)
  async edit(
    @Param('id', DocumentIdPipe) id: string,
    @Body() dto: EditDocumentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentChange> {
    const changes = { ...(dto.title !== undefined && { title: dto.title }), ...(dto.body !== undefined && { body: dto.body }) };
    const result = await this.commands.execute(
      new EditDocumentCommand(id, principal.userId, changes, expectedRevisionFrom(ifMatch), context, commandMetadata()),
    );
    return change(result, reply);
  }

  @Delete(':id')
  @DomainWriteAccess()
  @ApiOkResponse({ description: '`{id, deleted: true, revision, position}`' })
  @ApiIfMatch()
  @ApiProblems(401, 403, 404)
  async remove(
    @Param('id', DocumentIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentChange & { deleted: true }> {
    const result = await this.commands.execute(
      new DeleteDocumentCommand(id, principal.userId, expectedRevisionFrom(ifMatch), context, commandMetadata()),
    );
    return { ...change(result, reply), deleted: true };
  }

  @Put(':id/shares/:userId')
  @DomainWriteAccess()
  @ApiOkResponse({ description: 'owner only: `{id, userId, access, revision, position}`' })
  @ApiProblems(400, 401, 403, 404)
  async share(
    @Param('id', DocumentIdPipe) id: string,
    @Param('userId', UserIdPipe) userId: string,
    @Body() dto: ShareDocumentDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentChange & { userId: string; access: ShareAccess }> {
    const result = await this.commands.execute(new ShareDocumentCommand(id, principal.userId, userId, dto.access, context, commandMetadata()));
    return { ...change(result, reply), userId, access: dto.access };
  }

  @Delete(':id/shares/:userId')
  @DomainWriteAccess()
  @ApiOkResponse({ description: 'owner only: `{id, userId, access: null, revision, position}`' })
  @ApiProblems(400, 401, 403, 404)
  async unshare(
    @Param('id', DocumentIdPipe) id: string,
    @Param('userId', UserIdPipe) userId: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentChange & { userId: string; access: null }> {
    const result = await this.commands.execute(new UnshareDocumentCommand(id, principal.userId, userId, context, commandMetadata()));
    return { ...change(result, reply), userId, access: null };
  }
}
