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
  readDbUrl: string | undefined;
  /** false: this instance creates no read-model tables (least privilege: run `npm run db:migrate` as the owner role first). */
  readDbMigrate: boolean;
  redisUrl: string | undefined;
  authMode: AuthMode;
  clerkJwtKey: string | undefined;
  clerkSecretKey: string | undefined;
  clerkAuthorizedParties: string[];
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
  /** Witnesses' base URLs (SPEC §4), their cosigner vkeys in the same order, and the cosignatures a published checkpoint needs (0: no witnesses). */
  witnessUrls: string[];
  witnessKeys: string[];
  witnessQuorum: number;
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
