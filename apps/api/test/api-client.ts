import type { BootedApp } from './app-boot';

/** Whatever JSON.parse gives: answers are checked by the assertions, not by the type system. */
export type Json = ReturnType<typeof JSON.parse>;

export interface Answer {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export interface CallOptions {
  /** Signs the request in as this user (a dev token). */
  user?: string;
  /** The token carries a fresh second factor. */
  mfa?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Call = (method: string, path: string, options?: CallOptions) => Promise<Answer>;

/** An HTTP client for a booted app: JSON in, the answer's status, headers, text and parsed body out. */
export function apiClient(booted: BootedApp): Call {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.user) headers.authorization = `Bearer ${booted.token(options.user, { mfa: options.mfa })}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${booted.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text };
  };
}
