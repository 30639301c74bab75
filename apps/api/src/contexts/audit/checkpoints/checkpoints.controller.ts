import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { b64Encode } from '@ledgerline/integrity';
import { StoredMerkleTree } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import { Access } from '../../access/authorization/access.decorator';
import { problem, ProblemException } from '../../../platform/errors/problem';
import { LOG_VERIFIER_KEY, PUBLISHED_CHECKPOINTS, type PublishedCheckpoints } from '../../../platform/notary/notary.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';

const TREE_SIZE = /^(0|[1-9]\d{0,15})$/;

function treeSize(name: string, value: unknown): number {
  if (typeof value !== 'string' || !TREE_SIZE.test(value)) {
    throw new ProblemException(problem(400, { detail: `${name} must be a tree size (a whole number)` }));
  }
  return Number(value);
}

/** Public, unauthenticated answers anyone needs to check the log (SPEC §4, §7.2). */
@Controller('v1/audit')
@Access({ public: true })
export class CheckpointsController {
  constructor(
    @Inject(PUBLISHED_CHECKPOINTS) private readonly published: PublishedCheckpoints,
    @Inject(READ_DB) private readonly tree: ReadDb,
    @Inject(LOG_VERIFIER_KEY) private readonly logKey: string,
  ) {}

  /** The checkpoint verifier key (c2sp signed-note vkey). */
  @Get('log-key')
  @Header('content-type', 'text/plain; charset=utf-8')
  logVerifierKey(): string {
    return `${this.logKey}\n`;
  }

  /** The newest published checkpoint note: with a witness quorum, the newest witnessed one (never an unwitnessed one). */
  @Get('checkpoints/latest')
  @Header('content-type', 'text/plain; charset=utf-8')
  async latest(): Promise<string> {
    const checkpoint = await this.published.latest();
    if (checkpoint === undefined) throw new ProblemException(problem(404, { type: 'no-checkpoint-yet', detail: 'no checkpoint has been signed yet' }));
    return checkpoint.note;
  }

  /** RFC 9162 consistency proof between two tree sizes, the larger at most the newest checkpoint's. */
  @Get('checkpoints/consistency')
  async consistency(@Query('from') fromText: unknown, @Query('to') toText: unknown): Promise<{ from: number; to: number; proof: string[] }> {
    const from = treeSize('from', fromText);
    const to = treeSize('to', toText);
    const latest = await this.published.latest();
    const signed = latest?.treeSize ?? 0;
    if (from < 1 || from > to || to > signed) {
      throw new ProblemException(problem(400, { detail: `need 1 ≤ from ≤ to ≤ ${signed} (the newest checkpoint's size)` }));
    }
    const proof = await StoredMerkleTree.consistencyProof(this.tree, from, to);
    return { from, to, proof: proof.map((hash) => b64Encode(hash)) };
  }
}
