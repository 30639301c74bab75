import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { EventStore } from '@ledgerline/event-store';
import { Access } from '../access/authorization/access.decorator';
import { EVENT_STORE } from '../event-store/event-store.tokens';

@Controller('health')
@Access({ public: true })
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    try {
      await this.store.ping();
    } catch {
      throw new ServiceUnavailableException('event store unreachable');
    }
    return { status: 'ok', checks: { eventStore: 'up' } };
  }
}
