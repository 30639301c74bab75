import type { FastifyInstance } from 'fastify';
import { problem } from '../errors/problem';
import { sendProblem } from '../errors/problem-details.filter';

/** Methods that change state: each runs a command (auth, encryption, sealing, a durable commit). */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface WriteAdmissionOptions {
  /** State-changing requests served at once; the rest wait, in arrival order, before any work is done for them. */
  maxInFlight: number;
  /** Waiting requests past which a new one is refused (503 overloaded, Retry-After) instead of queued without bound. */
  maxQueued: number;
  /** Called for each refusal (metrics). */
  onRefused?: () => void;
}

/**
 * Admission for state-changing requests, so that reads never starve behind a burst of writes.
 *
 * A create costs several times a read's CPU on the request thread. Without a bound, a spike of
 * writes fills the event loop and every read waits behind it (measured: read p99 10 s at 2,000
 * mixed requests/s offered). With at most `maxInFlight` writes interleaved, a read waits for at most
 * that many writes' steps; further writes queue here, holding only their unread socket, and past
 * `maxQueued` are refused at once with a clear 503 (bounded work, SPEC §7.5). Group commit still
 * batches: `maxInFlight` writes reach the store's queue together.
 */
export class WriteAdmission {
  private inFlight = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly options: WriteAdmissionOptions) {}

  get queued(): number {
    return this.waiting.size;
  }

  get running(): number {
    return this.inFlight;
  }

  /**
   * Runs `admitted` now or when a slot frees, and returns a `leave` to call exactly once when the
   * request is over (served, or gone while queued); undefined when the request is refused.
   */
  enter(admitted: () => void): (() => void) | undefined {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      admitted();
      return this.leaver(undefined);
    }
    if (this.waiting.size >= this.options.maxQueued) {
      this.options.onRefused?.();
      return undefined;
    }
    const waiter = () => {
      this.inFlight++;
      admitted();
    };
    this.waiting.add(waiter);
    return this.leaver(waiter);
  }

  private leaver(waiter: (() => void) | undefined): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      // Gone while still queued: it never took a slot.
      if (waiter !== undefined && this.waiting.delete(waiter)) return;
      this.inFlight--;
      this.admitNext();
    };
  }

  private admitNext(): void {
    const next = this.waiting.values().next();
    if (next.done) return;
    this.waiting.delete(next.value);
    next.value();
  }
}

/**
 * Registers the admission as an onRequest hook: after the per-IP limit (registered before it) and
 * before authentication and the body, so a queued write has cost nothing yet. The slot is held until
 * the response closes (sent, failed or the client gone).
 */
export function registerWriteAdmission(fastify: FastifyInstance, admission: WriteAdmission): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!WRITE_METHODS.has(request.method)) return done();
    const leave = admission.enter(() => done());
    if (leave === undefined) {
      void reply.header('retry-after', '1');
      sendProblem(reply, problem(503, { type: 'overloaded', detail: 'the service is taking too many changes at once; retry after the indicated time' }));
      return;
    }
    reply.raw.once('close', leave);
  });
}
