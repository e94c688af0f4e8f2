import {
  bool,
  ConfigError,
  DEV_ESIGN_API_KEY,
  DEV_ESIGN_WEBHOOK_SECRET,
  DEV_VENDOR_CHARTWELL_API_KEY,
  DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET,
  DEV_VENDOR_PULSE_API_KEY,
  DEV_VENDOR_PULSE_WEBHOOK_SECRET,
  deepFreeze,
  devSecret,
  int,
  oneOf,
  required,
  str,
  url,
} from '../../platform/config';

export interface CasesConfig {
  /**
   * AGENTS_SUBGRAPH_URL: the agents subgraph's own URL, asked as SERVICE for scopes, eligibility and
   * appointments (default http://127.0.0.1:4001/graphql, its production port on loopback). Not the
   * gateway: the internal fields it needs are not in the public API.
   */
  agentsSubgraphUrl: string;
  /** CARRIERS_SUBGRAPH_URL: the carriers subgraph's own URL, asked as SERVICE for prices, sends and statuses (default http://127.0.0.1:4003/graphql). */
  carriersSubgraphUrl: string;
  /** OUTBOX_POLL_MS: how often the outbox worker looks for applications to send (default 1000; 0 turns the worker off). */
  outboxPollMs: number;
  /** SYNC_INTERVAL_MS: how often open cases are synced from their carriers (default 300000; 0 turns the periodic sync off). */
  syncIntervalMs: number;
  /** FOLLOW_UP_INTERVAL_MS: how often the follow-up job looks for requirements due a follow-up (default 300000; 0 turns it off). */
  followUpIntervalMs: number;
  /** CSV exports (case-export.route.ts): the most rows an export without a filter may have, and rows per batch. */
  exportMaxRows: number;
  exportBatchRows: number;
  /** COMMISSION_INTERVAL_MS: how often the commission job looks for placed cases to book and not-taken ones to charge back (default 60000; 0 turns it off). */
  commissionIntervalMs: number;
  documents: DocumentsConfig;
  /** The e-signature provider. */
  esign: {
    /** ESIGN_URL: the provider's API (default http://127.0.0.1:4090, where no simulator listens unless told; npm start and the tests set it). */
    url: string;
    /** ESIGN_API_KEY: our key at the provider (default the development key the simulator accepts; refused when NODE_ENV=production). */
    apiKey: string;
    /** ESIGN_WEBHOOK_SECRET: the secret the provider signs its webhooks with (default the development secret; refused when NODE_ENV=production). */
    webhookSecret: string;
    /** ESIGN_CALLBACK_URL: where the provider POSTs its webhooks, this subgraph's /webhooks/esign as the provider reaches it (default http://127.0.0.1:4002/webhooks/esign). */
    callbackUrl: string;
    /** ESIGN_WEBHOOK_TOLERANCE_S: how far a webhook's timestamp may be from our clock, either way, in seconds (default 300). */
    webhookToleranceSeconds: number;
  };
  /** The requirement vendors (exam, APS) and their webhooks. */
  vendors: VendorsConfig;
}

/** One requirement vendor's API and webhook secret. */
export interface VendorEndpointConfig {
  /** VENDOR_<CODE>_URL: the vendor's API (default a loopback port where no simulator listens unless told; npm start and the tests set it). */
  url: string;
  /** VENDOR_<CODE>_API_KEY: our key at the vendor (default the development key its simulator accepts; refused when NODE_ENV=production). */
  apiKey: string;
  /** VENDOR_<CODE>_WEBHOOK_SECRET: the secret the vendor signs its webhooks with (default the development secret; refused when NODE_ENV=production). */
  webhookSecret: string;
}

export interface VendorsConfig {
  pulse: VendorEndpointConfig;
  chartwell: VendorEndpointConfig;
  /** VENDOR_WEBHOOK_TOLERANCE_SECONDS: how far a vendor webhook's timestamp may be from our clock, either way (default 300). */
  webhookToleranceSeconds: number;
  /**
   * VENDOR_CALLBACK_BASE_URL: this subgraph's origin as the vendors reach it; each order names
   * `<base>/webhooks/vendors/<vendor>` as its callback (default http://127.0.0.1:4002).
   */
  callbackBaseUrl: string;
  /**
   * VENDOR_POLL_INTERVAL_MS: how often the vendor poll worker looks for outstanding orders with no
   * news, to ask their vendor (lost webhooks caught up; default 60000; 0 turns it off).
   */
  pollIntervalMs: number;
  /** VENDOR_POLL_STALE_SECONDS: how long an outstanding order goes without a stage change or a poll before its vendor is asked (default 21600, 6 h). */
  pollStaleSeconds: number;
}

function readVendorsConfig(env: Record<string, string | undefined>): VendorsConfig {
  const endpoint = (code: 'PULSE' | 'CHARTWELL', port: number, apiKey: string, secret: string): VendorEndpointConfig => ({
    url: url(env, `VENDOR_${code}_URL`, `http://127.0.0.1:${port}`)!.replace(/\/+$/, ''),
    apiKey: devSecret(env, `VENDOR_${code}_API_KEY`, apiKey),
    webhookSecret: devSecret(env, `VENDOR_${code}_WEBHOOK_SECRET`, secret),
  });
  return {
    pulse: endpoint('PULSE', 4091, DEV_VENDOR_PULSE_API_KEY, DEV_VENDOR_PULSE_WEBHOOK_SECRET),
    chartwell: endpoint('CHARTWELL', 4092, DEV_VENDOR_CHARTWELL_API_KEY, DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET),
    webhookToleranceSeconds: int(env, 'VENDOR_WEBHOOK_TOLERANCE_SECONDS', 300, { min: 1, max: 86_400 }),
    callbackBaseUrl: url(env, 'VENDOR_CALLBACK_BASE_URL', 'http://127.0.0.1:4002')!.replace(/\/+$/, ''),
    pollIntervalMs: int(env, 'VENDOR_POLL_INTERVAL_MS', 60_000, { min: 0 }),
    pollStaleSeconds: int(env, 'VENDOR_POLL_STALE_SECONDS', 21_600, { min: 1, max: 30 * 86_400 }),
  };
}

/** Where document content lives and how it is handed out. */
export interface DocumentsConfig {
  /** DOCUMENT_STORE: `postgres` (default; bytea in cases.document_content, written in the upload's transaction) or `s3`. */
  store: 'postgres' | 's3';
  /** The S3 settings, when DOCUMENT_STORE=s3. */
  s3?: S3Config;
  /** DOCUMENT_MAX_BYTES: the largest document accepted, decoded (default 10485760, 10 MiB). */
  maxBytes: number;
  /** DOCUMENT_URL_SECRET: the HMAC key of signed download URLs (a development default; required in production). */
  urlSecret: string;
  /** DOCUMENT_URL_TTL_S: how long a download URL works, in seconds (default 300). */
  urlTtlSeconds: number;
  /** PUBLIC_URL: the gateway's origin as front ends reach it, the base of download URLs (default http://localhost:4000). */
  publicUrl: string;
}

export interface S3Config {
  /** S3_BUCKET (required with DOCUMENT_STORE=s3). */
  bucket: string;
  /** S3_ENDPOINT: an S3-compatible endpoint (MinIO, the simulator); unset for AWS itself. */
  endpoint?: string;
  /** S3_REGION (default us-east-1). */
  region: string;
  /** S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: unset, the SDK's default credential chain (instance role, AWS_* variables). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** S3_FORCE_PATH_STYLE: bucket in the path rather than the host name (default false; true for MinIO and the simulator). */
  forcePathStyle: boolean;
  /** S3_TIMEOUT_MS: how long one S3 call may take, connection included (default 10000); the SDK retries twice. */
  timeoutMs: number;
}

/** The development secret of download URLs: refused when NODE_ENV=production. */
export const DEV_DOCUMENT_URL_SECRET = 'bga-graph-development-document-url-secret-do-not-use-in-production';

export function readDocumentsConfig(env: Record<string, string | undefined>): DocumentsConfig {
  const store = oneOf(env, 'DOCUMENT_STORE', ['postgres', 's3'] as const, 'postgres');
  const urlSecret = devSecret(env, 'DOCUMENT_URL_SECRET', DEV_DOCUMENT_URL_SECRET);
  const accessKeyId = str(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = str(env, 'S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new ConfigError(accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', 'must be set with the other S3 key variable');
  return {
    store,
    s3:
      store === 's3'
        ? {
            bucket: required(env, 'S3_BUCKET', 'the bucket documents are kept in, with DOCUMENT_STORE=s3'),
            endpoint: url(env, 'S3_ENDPOINT'),
            region: str(env, 'S3_REGION', 'us-east-1'),
            credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
            forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
            timeoutMs: int(env, 'S3_TIMEOUT_MS', 10_000, { min: 100 }),
          }
        : undefined,
    maxBytes: int(env, 'DOCUMENT_MAX_BYTES', 10 * 1024 * 1024, { min: 1, max: 100 * 1024 * 1024 }),
    urlSecret,
    urlTtlSeconds: int(env, 'DOCUMENT_URL_TTL_S', 300, { min: 1, max: 7 * 86_400 }),
    publicUrl: url(env, 'PUBLIC_URL', 'http://localhost:4000')!.replace(/\/+$/, ''),
  };
}

export function readCasesConfig(env: Record<string, string | undefined> = process.env): Readonly<CasesConfig> {
  return deepFreeze({
    agentsSubgraphUrl: url(env, 'AGENTS_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql')!,
    carriersSubgraphUrl: url(env, 'CARRIERS_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql')!,
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 1_000, { min: 0 }),
    syncIntervalMs: int(env, 'SYNC_INTERVAL_MS', 300_000, { min: 0 }),
    followUpIntervalMs: int(env, 'FOLLOW_UP_INTERVAL_MS', 300_000, { min: 0 }),
    exportMaxRows: int(env, 'EXPORT_MAX_ROWS', 100_000, { min: 1 }),
    exportBatchRows: int(env, 'EXPORT_BATCH_ROWS', 1_000, { min: 1, max: 50_000 }),
    commissionIntervalMs: int(env, 'COMMISSION_INTERVAL_MS', 60_000, { min: 0 }),
    documents: readDocumentsConfig(env),
    esign: {
      url: url(env, 'ESIGN_URL', 'http://127.0.0.1:4090')!,
      apiKey: devSecret(env, 'ESIGN_API_KEY', DEV_ESIGN_API_KEY),
      webhookSecret: devSecret(env, 'ESIGN_WEBHOOK_SECRET', DEV_ESIGN_WEBHOOK_SECRET),
      callbackUrl: url(env, 'ESIGN_CALLBACK_URL', 'http://127.0.0.1:4002/webhooks/esign')!,
      webhookToleranceSeconds: int(env, 'ESIGN_WEBHOOK_TOLERANCE_S', 300, { min: 1, max: 86_400 }),
    },
    vendors: readVendorsConfig(env),
  });
}
