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

/** Where a test may make the witness die with SIGKILL (kill -9); refused in production. */
export type WitnessCrashPoint = 'after-verify' | 'after-store';

/** The witness process's configuration (`npm run witness`, README "Witnesses"). */
export interface WitnessConfig {
  production: boolean;
  host: string;
  port: number;
  /** The cosigner name its signature lines carry (a schema-less URL, e.g. `witness.example.com/w1`). */
  name: string;
  /** Ed25519 PKCS#8 PEM; unset in development → generated under dataDir with a warning. */
  keyFile: string | undefined;
  dataDir: string;
  /** The logs it witnesses: note vkeys (text), each named by its log's origin; several per origin while a key rotates. */
  logKeys: string[];
  crashPoint: WitnessCrashPoint | undefined;
}
