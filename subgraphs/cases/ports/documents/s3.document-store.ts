import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Config } from '../../cases.config';
import type { DocumentStore } from '../document-store.port';

/**
 * Document content as objects of one S3 bucket (or an S3-compatible store: MinIO, simulators/s3),
 * keyed by storage key. The client is made once, at start; the SDK signs every call (SigV4).
 */
export class S3DocumentStore implements DocumentStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(
    private readonly config: S3Config,
    client?: S3Client,
  ) {
    this.client =
      client ??
      new S3Client({
        region: config.region,
        endpoint: config.endpoint,
        forcePathStyle: config.forcePathStyle,
        // A copy: the configuration is frozen, and the SDK marks the credentials object it is given.
        credentials: config.credentials ? { ...config.credentials } : undefined,
        // Checksums only where S3 requires them: the object's sha256 is ours, kept in cases.document.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        // Without a deadline a bucket that does not answer would hold the upload (and the download) forever.
        requestHandler: {
          connectionTimeout: Math.min(config.timeoutMs, 2_000),
          requestTimeout: config.timeoutMs,
          throwOnRequestTimeout: true,
        },
      });
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  within(): DocumentStore {
    return this;
  }

  /** Closes the client's sockets (at shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}
