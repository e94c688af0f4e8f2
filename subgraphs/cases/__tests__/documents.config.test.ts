import { ConfigError } from '../../../platform/config';
import { DEV_DOCUMENT_URL_SECRET, readDocumentsConfig } from '../cases.config';

describe('the documents configuration', () => {
  it('defaults to the PostgreSQL store, 10 MiB, five-minute links on the local gateway', () => {
    expect(readDocumentsConfig({})).toEqual({
      store: 'postgres',
      s3: undefined,
      maxBytes: 10 * 1024 * 1024,
      urlSecret: DEV_DOCUMENT_URL_SECRET,
      urlTtlSeconds: 300,
      publicUrl: 'http://localhost:4000',
    });
    expect(readDocumentsConfig({ PUBLIC_URL: 'https://graph.example.com/' }).publicUrl).toBe('https://graph.example.com');
  });

  it('reads the S3 settings only with DOCUMENT_STORE=s3, and needs the bucket and both keys or neither', () => {
    const s3 = { DOCUMENT_STORE: 's3', S3_BUCKET: 'docs', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' };
    expect(readDocumentsConfig(s3).s3).toEqual({
      bucket: 'docs',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: undefined,
      forcePathStyle: true,
      timeoutMs: 10_000,
    });
    expect(readDocumentsConfig({ ...s3, S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' }).s3!.credentials).toEqual({
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    });
    expect(() => readDocumentsConfig({ DOCUMENT_STORE: 's3' })).toThrow(/S3_BUCKET is required/);
    expect(() => readDocumentsConfig({ ...s3, S3_ACCESS_KEY_ID: 'AK' })).toThrow(/S3_SECRET_ACCESS_KEY must be set/);
    expect(() => readDocumentsConfig({ DOCUMENT_STORE: 'disk' })).toThrow(ConfigError);
  });

  it('refuses the development URL secret in production', () => {
    expect(() => readDocumentsConfig({ NODE_ENV: 'production' })).toThrow(/DOCUMENT_URL_SECRET must be set to a real secret/);
    expect(readDocumentsConfig({ NODE_ENV: 'production', DOCUMENT_URL_SECRET: 'a real one' }).urlSecret).toBe('a real one');
  });
});
