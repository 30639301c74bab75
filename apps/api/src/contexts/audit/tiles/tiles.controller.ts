import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseTilePath, TILE_WIDTH } from '@ledgerline/integrity';
import type { ReadDb } from '@ledgerline/projections';
import { Access } from '../../access/authorization/access.decorator';
import { problem, ProblemException } from '../../../platform/errors/problem';
import { PUBLISHED_CHECKPOINTS, type PublishedCheckpoints } from '../../../platform/notary/notary.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import type { PublishedCheckpoint } from '@ledgerline/ledger';
import { readTile, tileName } from './tile-reader';

const TILE_PREFIX = '/tile/';
/** A full tile's hashes never change: cache it for good. */
const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
/** A partial tile's bytes never change either, but a client moves on to the wider one: no need to keep it long. */
const PARTIAL_TILE_CACHE = 'public, max-age=3600';
/** c2sp.org/tlog-tiles: the checkpoint is mutable, so no caching beyond a few seconds. */
const CHECKPOINT_CACHE = 'no-cache';
const TREE_BEHIND_RETRY_SECONDS = '2';

/**
 * The c2sp.org/tlog-tiles read surface (SPEC §4): the published checkpoint, hash tiles and entry
 * bundles, public and cacheable, so any tlog client can recompute the tree and check inclusion and
 * consistency without the audit API. It reveals only hashes: each leaf's input is the event's hash.
 */
@Controller()
@Access({ public: true })
export class TilesController {
  constructor(
    @Inject(PUBLISHED_CHECKPOINTS) private readonly published: PublishedCheckpoints,
    @Inject(READ_DB) private readonly tree: ReadDb,
  ) {}

  @Get('checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', CHECKPOINT_CACHE)
  async checkpoint(): Promise<string> {
    return (await this.checkpointOrThrow()).note;
  }

  /** `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, N in the spec's `x001/x234/067` groups. */
  @Get('tile/*')
  async tile(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const path = request.url.split('?')[0].slice(TILE_PREFIX.length);
    const parsed = parseTilePath(path);
    if (!parsed.ok) {
      throw new ProblemException(problem(400, { type: 'invalid-tile-path', detail: `not a tlog-tiles path: ${parsed.reason}` }));
    }
    const { tile } = parsed;
    const checkpoint = await this.checkpointOrThrow();
    const read = await readTile(this.tree, tile, checkpoint.treeSize);
    if (!read.found && read.reason === 'beyond-checkpoint') {
      throw new ProblemException(
        problem(404, { type: 'tile-not-found', detail: `${tileName(tile)} is not in the published checkpoint (tree size ${checkpoint.treeSize})` }),
      );
    }
    if (!read.found) {
      void reply.header('retry-after', TREE_BEHIND_RETRY_SECONDS);
      throw new ProblemException(problem(503, { type: 'tree-catching-up', detail: 'the stored tree is catching up with the published checkpoint; retry shortly' }));
    }
    void reply.header('content-type', 'application/octet-stream');
    void reply.header('cache-control', tile.width === TILE_WIDTH ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE);
    return read.body;
  }

  /** The checkpoint the log publishes (SPEC §4: with a witness quorum, the newest one that met it), so tiles never run ahead of it. */
  private async checkpointOrThrow(): Promise<PublishedCheckpoint> {
    const checkpoint = await this.published.latest();
    if (checkpoint === undefined) throw new ProblemException(problem(404, { type: 'no-checkpoint-yet', detail: 'no checkpoint has been published yet' }));
    return checkpoint;
  }
}
