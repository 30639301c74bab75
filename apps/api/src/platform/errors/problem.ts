import { HttpException, HttpStatus } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** RFC 9457 problem details, the only error shape Ledgerline answers with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errorId: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Builds a problem; `type` defaults to a slug of the title under a stable URN-like path. */
export function problem(status: number, options: { type?: string; title?: string; detail?: string; extensions?: Record<string, unknown> } = {}): Problem {
  const title = options.title ?? TITLES[status] ?? 'Error';
  return {
    type: `https://ledgerline.dev/problems/${options.type ?? slug(title)}`,
    title,
    status,
    ...(options.detail !== undefined ? { detail: options.detail } : {}),
    errorId: randomUUID(),
    ...options.extensions,
  };
}

/** An exception whose problem body is already decided (used by guards and handlers above the domain). */
export class ProblemException extends HttpException {
  constructor(readonly problemBody: Problem) {
    super(problemBody, problemBody.status);
  }
}

/** Turns a Nest HttpException into a problem, keeping only messages Nest itself wrote for the client. */
export function problemFromHttpException(error: HttpException): Problem {
  if (error instanceof ProblemException) return error.problemBody;
  const status = error.getStatus();
  const response = error.getResponse();
  let detail: string | undefined;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = (response as { message: unknown }).message;
    detail = Array.isArray(message) ? message.map(String).join('; ') : typeof message === 'string' ? message : undefined;
  } else if (typeof response === 'string') {
    detail = response;
  }
  if (status >= 500) detail = undefined;
  return problem(status, { detail: detail === TITLES[status] ? undefined : detail });
}

export const INTERNAL_ERROR_STATUS = HttpStatus.INTERNAL_SERVER_ERROR;
