import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';

// One shared reason: abort() without one builds a DOMException (and its stack) per call.
const GONE = new Error('the call is over');

/**
 * Writes a server-streaming call's responses with backpressure: when grpc-js buffers past its high-water
 * mark (HTTP/2 flow control, i.e. the client is not reading), the next write waits for 'drain'.
 * `signal` aborts when the client cancels, which ends every wait.
 */
export class ResponseWriter<Req, Res> {
  private readonly controller = new AbortController();

  constructor(private readonly call: ServerWritableStream<Req, Res>) {
    const abort = (): void => this.controller.abort(GONE);
    call.on('cancelled', abort);
    call.on('close', abort);
    call.on('error', abort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Sends one response; false once the call is gone. */
  async send(response: Res): Promise<boolean> {
    if (this.signal.aborted) return false;
    if (!this.call.write(response)) {
      try {
        await once(this.call, 'drain', { signal: this.signal });
      } catch {
        return false;
      }
    }
    return !this.signal.aborted;
  }

  end(): void {
    if (!this.signal.aborted) this.call.end();
  }
}
