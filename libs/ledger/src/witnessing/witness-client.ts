import { b64Encode } from '@ledgerline/integrity';

/** What one `add-checkpoint` call (c2sp.org/tlog-witness) came to. */
export type AddCheckpointAnswer =
  | { kind: 'cosigned'; lines: string[] }
  /** 409: the witness holds another size; resend from it. */
  | { kind: 'conflict'; size: number }
  | { kind: 'refused'; status: number; detail: string }
  | { kind: 'unreachable'; detail: string };

const MAX_ANSWER_BYTES = 64 * 1024;
const SIZE_BODY = /^(0|[1-9][0-9]{0,15})\n$/;

/** The tlog-witness request body: `old <size>`, one base64 proof hash a line, an empty line, the signed checkpoint. */
export function addCheckpointBody(oldSize: number, proof: readonly Buffer[], note: string): string {
  return `old ${oldSize}\n${proof.map((hash) => `${b64Encode(hash)}\n`).join('')}\n${note}`;
}

/** Sends one checkpoint to one witness. Never throws: a network failure is an answer too. */
export async function addCheckpoint(baseUrl: string, oldSize: number, proof: readonly Buffer[], note: string, timeoutMs: number): Promise<AddCheckpointAnswer> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(`${baseUrl.replace(/\/+$/, '')}/add-checkpoint`, {
      method: 'POST',
      body: addCheckpointBody(oldSize, proof, note),
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    return { kind: 'unreachable', detail: (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message };
  }
  if (body.length > MAX_ANSWER_BYTES) return { kind: 'refused', status: response.status, detail: 'answer too large' };
  if (response.status === 409 && (response.headers.get('content-type') ?? '').startsWith('text/x.tlog.size') && SIZE_BODY.test(body)) {
    return { kind: 'conflict', size: Number(body.trim()) };
  }
  if (response.status !== 200) return { kind: 'refused', status: response.status, detail: body.slice(0, 200).trim() };
  const lines = body.split('\n').filter((line) => line !== '');
  return { kind: 'cosigned', lines: lines.map((line) => `${line}\n`) };
}
