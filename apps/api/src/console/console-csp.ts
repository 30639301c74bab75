import type { AppConfig } from '@ledgerline/config';

/**
 * The console page's Content-Security-Policy: its own scripts, styles and worker only, no inline script,
 * and calls to this origin only. With AUTH_MODE=clerk, Clerk's SDK (served from here) must also reach
 * the Frontend API host named by the publishable key, and Clerk's bot protection (Cloudflare Turnstile).
 */
export function consoleContentSecurityPolicy(config: AppConfig): string {
  const clerk = config.authMode === 'clerk' && config.clerkFrontendApi ? config.clerkFrontendApi : undefined;
  const turnstile = 'https://challenges.cloudflare.com';
  return [
    "default-src 'none'",
    `script-src 'self'${clerk ? ` https://${clerk} ${turnstile}` : ''}`,
    "worker-src 'self'",
    `connect-src 'self'${clerk ? ` https://${clerk}` : ''}`,
    "style-src 'self'",
    `img-src 'self'${clerk ? ' https://img.clerk.com' : ''}`,
    ...(clerk ? [`frame-src ${turnstile}`] : []),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
