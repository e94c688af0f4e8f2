/**
 * The S3 simulator against the real AWS SDK: the four calls the document store makes, SigV4 checked
 * (a wrong secret, an unknown key, an unsigned call are refused and store nothing), S3's error codes
 * as the SDK maps them, and the fault and latency controls.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type RunningS3Simulator, startS3Simulator } from '../s3/s3.simulator';

let sim: RunningS3Simulator;
const clients: S3Client[] = [];

function client(overrides: { accessKeyId?: string; secretAccessKey?: string; maxAttempts?: number } = {}): S3Client {
  const made = new S3Client({
    region: sim.env.S3_REGION,
    endpoint: sim.url,
    forcePathStyle: true,
    credentials: {
      accessKeyId: overrides.accessKeyId ?? sim.env.S3_ACCESS_KEY_ID,
      secretAccessKey: overrides.secretAccessKey ?? sim.env.S3_SECRET_ACCESS_KEY,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: overrides.maxAttempts ?? 1,
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  sim = await startS3Simulator();
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await sim.stop();
});

beforeEach(() => sim.control.reset());

const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff]);

it('stores, describes, returns and deletes an object, signed with SigV4', async () => {
  const s3 = client();
  await s3.send(new PutObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_a1', Body: bytes, ContentType: 'application/pdf' }));
  expect(sim.control.objects(sim.bucket).get('documents/doc_a1')?.body).toEqual(Buffer.from(bytes));

  const head = await s3.send(new HeadObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_a1' }));
  expect(head.ContentLength).toBe(bytes.length);
  expect(head.ContentType).toBe('application/pdf');

  const got = await s3.send(new GetObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_a1' }));
  expect(await got.Body!.transformToByteArray()).toEqual(bytes);

  await s3.send(new DeleteObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_a1' }));
  await expect(s3.send(new GetObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_a1' }))).rejects.toBeInstanceOf(NoSuchKey);
  expect(sim.control.counts()).toEqual({ PutObject: 1, HeadObject: 1, GetObject: 2, DeleteObject: 1, refused: 0 });
});

it('refuses a wrong secret, an unknown access key and an unsigned call, and stores nothing', async () => {
  const put = (s3: S3Client) => s3.send(new PutObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_refused', Body: bytes }));
  await expect(put(client({ secretAccessKey: 'not-the-secret' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  await expect(put(client({ accessKeyId: 'AKIAUNKNOWN000000000' }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
  const unsigned = await fetch(`${sim.url}/${sim.bucket}/documents/doc_refused`, { method: 'PUT', body: bytes });
  expect(unsigned.status).toBe(403);
  expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
  expect(sim.control.objects(sim.bucket).has('documents/doc_refused')).toBe(false);
  expect(sim.control.counts()).toMatchObject({ PutObject: 0, refused: 3 });
});

it('answers NoSuchBucket for a bucket that does not exist', async () => {
  await expect(client().send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
});

it('fails on command (5xx for the next n calls; the SDK retries) and delays on command', async () => {
  sim.control.setFault('5xx', 1);
  const s3 = client({ maxAttempts: 2 });
  await s3.send(new PutObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_retried', Body: bytes }));
  expect(sim.control.counts().PutObject).toBe(2);
  sim.control.setFault('5xx');
  await expect(client().send(new GetObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_retried' }))).rejects.toMatchObject({
    name: 'InternalError',
  });
  sim.control.setFault(null);
  sim.control.setLatency(150);
  const started = Date.now();
  await client().send(new HeadObjectCommand({ Bucket: sim.bucket, Key: 'documents/doc_retried' }));
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});
