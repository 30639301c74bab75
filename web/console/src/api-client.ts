import { signedIn } from './session/session';

/** An RFC 9457 problem from the API, as the officer should read it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** 403 in Clerk's reverification shape: the second factor is too old or missing. */
export class ReverificationRequired extends ApiProblem {
  constructor(
    readonly afterMinutes: number | undefined,
    detail: string | undefined,
  ) {
    super(403, 'reverification-required', 'Reverification required', detail);
  }
}

interface ProblemBody {
  type?: string;
  title?: string;
  detail?: string;
  clerk_error?: { reason?: string; metadata?: { reverification?: { afterMinutes?: number } } };
}

/**
 * A same-origin call to the API with the officer's bearer token: the console is one more client of the
 * same guarded routes, rate limits and audit records. Errors come back as ApiProblem (or ReverificationRequired).
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = await signedIn()?.token();
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
  if (response.ok) return response;
  throw await problemOf(response);
}

export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await apiFetch(path, init)).json()) as T;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    /* not problem+json (e.g. the edge's own page): the status says enough */
  }
  if (response.status === 403 && (body.type === 'reverification-required' || body.clerk_error?.reason === 'reverification-error')) {
    return new ReverificationRequired(body.clerk_error?.metadata?.reverification?.afterMinutes, body.detail);
  }
  return new ApiProblem(response.status, body.type ?? 'about:blank', body.title ?? response.statusText ?? 'Request failed', body.detail);
}
