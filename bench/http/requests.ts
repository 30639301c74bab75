/** The requests every bench/http load generator sends (closed-loop.lua builds the same create body). */
export const CREATE_PATH = '/v1/documents';
export const LIST_PATH = '/v1/documents?limit=20';
/** ≈400-byte body, as the issue asks. */
export const CREATE_BODY = JSON.stringify({ title: 'Benchmark document', body: 'x'.repeat(400) });
/** In a mix, every fifth request is a create: 4 list reads, then 1 create. */
export const MIX_PERIOD = 5;

export function isSuccess(status: number | string): boolean {
  return Number(status) >= 200 && Number(status) <= 299;
}
