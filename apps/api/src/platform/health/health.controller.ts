import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { EventStore } from '@ledgerline/event-store';
import type { ReadDb } from '@ledgerline/projections';
import { Access } from '../../contexts/access/authorization/access.decorator';
import { EVENT_STORE } from '../event-store/event-store.tokens';
import { ProjectionProgress, type ReadModelProgress } from '../projections/projection-progress';
import { READ_DB } from '../projections/projections.tokens';

@Controller('health')
@Access({ public: true })
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly readDb: ReadDb,
    private readonly projections: ProjectionProgress,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Each dependency, and every read model's state and lag; a stopped projection makes the instance unready. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'>; projections: ReadModelProgress[] }> {
    try {
      await this.store.ping();
    } catch {
      throw new ServiceUnavailableException('event store unreachable');
    }
    try {
      await this.readDb.query('SELECT 1 AS ok');
    } catch {
      throw new ServiceUnavailableException('read database unreachable');
    }
    const projections = await this.projections.report();
    if (projections.some((p) => p.state === 'failed')) throw new ServiceUnavailableException('a projection has stopped');
    return { status: 'ok', checks: { eventStore: 'up', readDb: 'up' }, projections };
  }
}
