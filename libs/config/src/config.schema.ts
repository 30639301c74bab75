/** Typed configuration: every variable of SPEC §2, parsed and validated once at start. */
export type AuthMode = 'clerk' | 'dev';
export type LogFormat = 'json' | 'pretty';

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl: string | undefined;
  /** EventStoreDB only: the server's MaxAppendSize; bigger appends are refused before sending, non-atomic batches split within it. */
  eventStoreMaxAppendBytes: number;
  readDbUrl: string | undefined;
  /** false: this instance creates no read-model tables (least privilege: run `npm run db:migrate` as the owner role first). */
  readDbMigrate: boolean;
  redisUrl: string | undefined;
  authMode: AuthMode;
  clerkJwtKey: string | undefined;
  clerkSecretKey: string | undefined;
  clerkAuthorizedParties: string[];
  /** The console's Clerk sign-in (AUTH_MODE=clerk): the publishable key and the Frontend API host it names. */
  clerkPublishableKey: string | undefined;
  clerkFrontendApi: string | undefined;
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  stripeApiUrl: string | undefined;
  stripePlans: Record<string, string>;
  signingKeyFile: string | undefined;
  retiredKeysFile: string | undefined;
  checkpointKeyFile: string | undefined;
  masterKeyFile: string | undefined;
  auditLogOrigin: string;
  checkpointIntervalMs: number;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  corsOrigins: string[];
  bootstrapAdmins: string[];
  bootstrapCompliance: string[];
  mfaMaxAgeMinutes: number;
  rateLimitUserPerMin: number;
  rateLimitIpPerMin: number;
  metricsToken: string | undefined;
  logLevel: string;
  logFormat: LogFormat;
  worker: boolean;
  trustProxy: boolean | string;
}
