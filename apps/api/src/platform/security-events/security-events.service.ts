import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandContext, LedgerWriter, PendingEvent } from '@ledgerline/ledger';
import type winston from 'winston';
import { LOGGER } from '../config/config.tokens';
import { LEDGER_WRITER } from '../ledger/ledger.tokens';
import { clientSource } from './client-source';
import { SECURITY_INCIDENT_EVENT, securityStreamName, type SecurityCategory, type SecurityIncident } from './security-incident';
import { SecurityIncidentAggregator } from './security-incident.aggregator';

/** What a control reports; the raw IP is truncated here and goes no further. */
export interface SecurityReport {
  category: SecurityCategory;
  reason: string;
  ip?: string;
  route?: string;
  userId?: string;
  /** The request observed, for the log line only (never part of what is counted). */
  requestId?: string;
}

const FLUSH_INTERVAL_MS = 5_000;
export const SECURITY_MONITOR_ACTOR = { kind: 'system', id: 'security-monitor' } as const;

/**
 * The security-event hook. Controls call `record` (cheap, synchronous, never throws); observations
 * are aggregated per (client network, reason) per minute and appended as sealed
 * `SecurityIncidentObserved` events to `security-<yyyy-mm-dd>` by a timer and at shutdown, so a
 * flood costs a bounded number of events.
 */
@Injectable()
export class SecurityEvents implements OnModuleInit, OnApplicationShutdown {
  private readonly aggregator = new SecurityIncidentAggregator();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(false), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Runs after the HTTP server has drained and before the store closes (non-global module). */
  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush(true);
  }

  /** Records one observation. Logs the first of each (network, reason, minute), never every hit. */
  record(report: SecurityReport): void {
    const observation = { category: report.category, reason: report.reason, source: clientSource(report.ip), route: report.route, userId: report.userId };
    if (this.aggregator.add(observation)) {
      this.logger.warn('security event', { context: 'security', requestId: report.requestId, ...observation });
    }
  }

  /** Records an observation about an HTTP request (client network and route pattern taken from it). */
  recordRequest(request: FastifyRequest, category: SecurityCategory, reason: string, userId?: string): void {
    this.record({ category, reason, ip: request.ip, route: routeOf(request), userId, requestId: request.id });
  }

  /** Appends the incidents of closed windows (every incident with `all`); resolves with how many were written. */
  flush(all = false): Promise<number> {
    const run = this.flushing.then(() => this.append(this.aggregator.drain(all)));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async append(incidents: SecurityIncident[]): Promise<number> {
    if (incidents.length === 0) return 0;
    const byStream = new Map<string, PendingEvent[]>();
    for (const incident of incidents) {
      const stream = securityStreamName(incident.windowStart);
      const events = byStream.get(stream) ?? [];
      events.push({ type: SECURITY_INCIDENT_EVENT, data: { ...incident } });
      byStream.set(stream, events);
    }
    const correlationId = randomUUID();
    let written = 0;
    for (const [stream, events] of byStream) {
      const context: CommandContext = { actor: { ...SECURITY_MONITOR_ACTOR }, correlationId, causationId: randomUUID() };
      try {
        // 'any': a day stream is shared by every instance; the writer reseals on a conflict. Incidents are
        // independent, so a large flush may be stored in several appends within the store's size limit.
        await this.writer.append(stream, events, 'any', context, { atomic: false });
        written += events.length;
      } catch (error) {
        // The log is the fallback record; incidents are not re-queued, so memory stays bounded.
        this.logger.error('security incidents could not be stored', {
          context: 'security',
          error,
          incidents: events.map((event) => event.data),
        });
      }
    }
    if (written > 0) {
      const total = incidents.reduce((sum, incident) => sum + incident.count, 0);
      this.logger.info('security incidents stored', { context: 'security', incidents: written, observations: total });
    }
    return written;
  }
}

/** `METHOD /route/:pattern`, or the method alone for unmatched routes (never the raw URL). */
export function routeOf(request: FastifyRequest): string {
  const pattern = request.routeOptions?.url;
  return pattern ? `${request.method} ${pattern}` : request.method;
}
