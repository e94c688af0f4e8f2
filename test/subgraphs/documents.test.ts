/**
 * Documents over real HTTP. Through the gateway, on the PostgreSQL store: upload to a case and to a
 * requirement, the checks (size limit, not a PDF, formats), idempotent retries, who may upload, the
 * signed download URL on the gateway's origin and on the subgraph (tampered and expired links
 * refused), and Case.documents in one statement for a page of cases. Then the cases subgraph alone on
 * the S3 store against the S3 simulator: the object is written there (and not in PostgreSQL), read
 * back through the download route, and an S3 failure leaves nothing half-written.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { startS3Simulator, type RunningS3Simulator } from '../../simulators/s3/s3.simulator';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { DEV_DOCUMENT_URL_SECRET } from '../../subgraphs/cases/cases.config';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { DocumentUrls } from '../../subgraphs/cases/document-url';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { testPool } from '../support/test-pool';

const MAX_BYTES = 64 * 1024;
const RUN = Date.now().toString(36);

/** A small, real PDF header and body: what the magic-bytes check reads. */
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`, 'latin1');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const UPLOAD = `mutation($input: UploadDocumentInput!) {
  uploadDocument(input: $input) { id type ownerKind ownerId fileName contentType sizeBytes sha256 uploadedBy uploadedAt downloadUrl }
}`;

let pool: pg.Pool;

beforeAll(() => {
  pool = testPool(2);
});

afterAll(async () => {
  await pool?.end();
});

const countDocuments = async (ownerId: string) =>
  (await pool.query('SELECT count(*)::int AS n FROM cases.document WHERE owner_id = $1', [ownerId])).rows[0].n as number;

describe('through the gateway, on the PostgreSQL store', () => {
  let stack: Stack;
  let staff: string;
  /** A case (of a top-level agency, so another agency's agent is outside its branch) with a requirement. */
  let target: { caseId: string; agentId: string; requirementId: string };
  let stranger: string;
  let gatewayOrigin: string;

  beforeAll(async () => {
    stack = await startStack({ env: { DOCUMENT_MAX_BYTES: String(MAX_BYTES), OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0' } });
    staff = await stack.token('STAFF');
    gatewayOrigin = new URL(stack.url).origin;
    const [row] = (
      await pool.query(
        `SELECT c.id AS "caseId", c.agent_id AS "agentId", r.id AS "requirementId"
           FROM cases."case" c JOIN cases.requirement r ON r.case_id = c.id JOIN agents.agent a ON a.id = c.agent_id
          WHERE a.upline_id IS NULL ORDER BY c.id LIMIT 1`,
      )
    ).rows;
    target = row;
    // Another agency: a top-level agent other than the case's, so the case is outside their branch.
    const [other] = (
      await pool.query(`SELECT id FROM agents.agent WHERE upline_id IS NULL AND id <> $1 ORDER BY id LIMIT 1`, [target.agentId])
    ).rows;
    stranger = other.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const upload = (input: Record<string, unknown>, token = staff) => graphql(stack.url, UPLOAD, { input }, { token });
  const caseInput = (bytes: Buffer, over: Record<string, unknown> = {}) => ({
    ownerKind: 'CASE',
    ownerId: target.caseId,
    type: 'APS',
    fileName: 'attending physician statement.pdf',
    contentBase64: bytes.toString('base64'),
    ...over,
  });

  it('stores a PDF for a case, computes its sha256, and hands out a signed URL on the gateway that downloads it', async () => {
    const bytes = pdf(`aps ${RUN}`);
    const response = await upload(caseInput(bytes));
    expect(response.errors).toBeUndefined();
    const doc = response.data!.uploadDocument;
    expect(doc).toMatchObject({
      type: 'APS',
      ownerKind: 'CASE',
      ownerId: target.caseId,
      fileName: 'attending physician statement.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      uploadedBy: 'user:test-staff',
    });
    expect(doc.id).toMatch(/^doc_[a-z0-9]+$/);
    // The URL names the gateway and the document, nothing else: no file name, no owner.
    const url = new URL(doc.downloadUrl);
    expect(url.origin).toBe(gatewayOrigin);
    expect(url.pathname).toBe(`/documents/${doc.id}`);
    expect([...url.searchParams.keys()].sort()).toEqual(['expires', 'signature']);
    expect(Number(url.searchParams.get('expires')) - Date.now() / 1000).toBeGreaterThan(290);
    expect(doc.downloadUrl).not.toContain('physician');
    expect(doc.downloadUrl).not.toContain(target.caseId);

    const download = await fetch(doc.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-length')).toBe(String(bytes.length));
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="attending physician statement.pdf"; filename*=UTF-8''attending%20physician%20statement.pdf`,
    );
    expect(download.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    // The same path on the cases subgraph itself.
    const direct = await fetch(new URL(`${url.pathname}${url.search}`, stack.subgraphs.cases.url));
    expect(Buffer.from(await direct.arrayBuffer())).toEqual(bytes);

    // Content and metadata both in PostgreSQL.
    const stored = await pool.query(
      `SELECT d.storage, d.storage_key, c.content FROM cases.document d JOIN cases.document_content c USING (storage_key) WHERE d.id = $1`,
      [doc.id],
    );
    expect(stored.rows).toEqual([{ storage: 'postgres', storage_key: `documents/${doc.id}`, content: bytes }]);
  });

  it("lets the case's own agent attach an image to a requirement, and lists the case's documents", async () => {
    const response = await upload(
      {
        ownerKind: 'REQUIREMENT',
        ownerId: target.requirementId,
        type: 'EXAM_RESULTS',
        fileName: 'labs.png',
        contentBase64: png.toString('base64'),
      },
      await stack.agentToken(target.agentId),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.uploadDocument).toMatchObject({
      ownerKind: 'REQUIREMENT',
      contentType: 'image/png',
      uploadedBy: `user:${target.agentId}`,
    });
    const listed = await graphql(
      stack.url,
      'query($id: ID!) { case(id: $id) { documents { id ownerKind type downloadUrl } } }',
      { id: target.caseId },
      { token: staff },
    );
    const documents = listed.data!.case.documents as { id: string; ownerKind: string }[];
    expect(documents.map((d) => d.ownerKind)).toEqual(expect.arrayContaining(['CASE', 'REQUIREMENT']));
    expect(documents.map((d) => d.id)).toContain(response.data!.uploadDocument.id);
  });

  it('refuses a document over DOCUMENT_MAX_BYTES with LIMIT_EXCEEDED naming the limit, and writes nothing', async () => {
    const before = await countDocuments(target.caseId);
    const big = Buffer.concat([pdf('big'), Buffer.alloc(MAX_BYTES)]);
    const response = await upload(caseInput(big));
    expect(codes(response)).toEqual(['LIMIT_EXCEEDED']);
    expect(response.errors![0].message).toContain(String(MAX_BYTES));
    expect(response.errors![0].extensions!.maxBytes).toBe(MAX_BYTES);
    // Exactly at the limit is accepted.
    const exact = Buffer.concat([pdf('exact'), Buffer.alloc(MAX_BYTES - pdf('exact').length)]);
    expect((await upload(caseInput(exact))).errors).toBeUndefined();
    expect(await countDocuments(target.caseId)).toBe(before + 1);
  });

  it('refuses what is not a PDF for PDF types, formats not accepted, a mismatched type, and bad base64, with every reason', async () => {
    const before = await countDocuments(target.caseId);
    const notPdf = await upload(
      caseInput(Buffer.from('Dear underwriter, this is a letter.'), { type: 'SIGNED_APPLICATION', fileName: 'app.pdf' }),
    );
    expect(codes(notPdf)).toEqual(['BAD_USER_INPUT']);
    expect(notPdf.errors![0].extensions!.reasons).toEqual([
      'a SIGNED_APPLICATION must be a PDF: the content is not a PDF (it does not begin with %PDF-)',
    ]);
    // An image is no application PDF even when it is a good image.
    expect(codes(await upload(caseInput(png, { type: 'APPLICATION_PDF' })))).toEqual(['BAD_USER_INPUT']);
    const text = await upload(caseInput(Buffer.from('plain text'), { type: 'OTHER', contentType: 'text/plain', fileName: '../x' }));
    expect(text.errors![0].extensions!.reasons).toEqual([
      'fileName must be 1 to 255 characters, without slashes or control characters',
      'contentType must be one of application/pdf, image/png, image/jpeg, image/tiff',
    ]);
    const mismatch = await upload(caseInput(jpeg, { type: 'OTHER', contentType: 'image/png' }));
    expect(mismatch.errors![0].extensions!.reasons).toEqual(['the content is not a PNG']);
    expect(codes(await upload(caseInput(pdf('x'), { contentBase64: 'not base64!' })))).toEqual(['BAD_USER_INPUT']);
    // No file name or content echoed in errors.
    expect(JSON.stringify([notPdf, text, mismatch])).not.toContain('Dear underwriter');
    expect(await countDocuments(target.caseId)).toBe(before);
  });

  it('answers a retry with the same idempotency key and bytes with the same document, once; other bytes under the key are CONFLICT', async () => {
    const bytes = pdf(`retry ${RUN}`);
    const key = `doc-retry-${RUN}`;
    const before = await countDocuments(target.caseId);
    const [first, second] = await Promise.all([
      upload(caseInput(bytes, { idempotencyKey: key })),
      upload(caseInput(bytes, { idempotencyKey: key })),
    ]);
    const third = await upload(caseInput(bytes, { idempotencyKey: key }));
    expect([first.errors, second.errors, third.errors]).toEqual([undefined, undefined, undefined]);
    expect(second.data!.uploadDocument.id).toBe(first.data!.uploadDocument.id);
    expect(third.data!.uploadDocument.id).toBe(first.data!.uploadDocument.id);
    expect(await countDocuments(target.caseId)).toBe(before + 1);
    const content = await pool.query(`SELECT count(*)::int AS n FROM cases.document_content WHERE storage_key = $1`, [
      `documents/${first.data!.uploadDocument.id}`,
    ]);
    expect(content.rows[0].n).toBe(1);
    const other = await upload(caseInput(pdf(`other ${RUN}`), { idempotencyKey: key }));
    expect(codes(other)).toEqual(['CONFLICT']);
    expect(await countDocuments(target.caseId)).toBe(before + 1);
  });

  it("refuses another branch's agent (the same answer as an unknown owner) and callers without a token, and writes nothing", async () => {
    const before = await countDocuments(target.caseId);
    const asStranger = await upload(caseInput(pdf('stranger')), await stack.agentToken(stranger));
    expect(codes(asStranger)).toEqual(['NOT_FOUND']);
    const unknown = await upload(caseInput(pdf('unknown'), { ownerId: 'case_doesnotexist' }));
    expect(unknown.errors![0].message).toBe(asStranger.errors![0].message);
    const requirement = await upload(
      { ...caseInput(pdf('stranger')), ownerKind: 'REQUIREMENT', ownerId: target.requirementId },
      await stack.agentToken(stranger),
    );
    expect(codes(requirement)).toEqual(['NOT_FOUND']);
    expect(codes(await graphql(stack.url, UPLOAD, { input: caseInput(pdf('anonymous')) }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await upload(caseInput(pdf('bad id'), { ownerId: 'req_x' })))).toEqual(['BAD_USER_INPUT']);
    expect(await countDocuments(target.caseId)).toBe(before);
  });

  it('refuses tampered links (403) and expired ones (410) with a JSON error, and only GET', async () => {
    const doc = (await upload(caseInput(pdf(`links ${RUN}`)))).data!.uploadDocument;
    const url = new URL(doc.downloadUrl);
    const signature = url.searchParams.get('signature')!;
    const variants = {
      signature: new URL(url.toString().replace(signature, `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`)),
      expires: new URL(url.toString().replace(/expires=\d+/, `expires=${Number(url.searchParams.get('expires')) + 3600}`)),
      // A good signature of one document does not open another.
      otherDocument: new URL(url.toString().replace(doc.id, `doc_${'0'.repeat(18)}`)),
      none: new URL(`${url.origin}${url.pathname}`),
    };
    for (const [name, tampered] of Object.entries(variants)) {
      const response = await fetch(tampered);
      expect({ name, status: response.status }).toEqual({ name, status: 403 });
      expect(await response.json()).toEqual({ errors: [{ message: 'the download link is not valid', extensions: { code: 'FORBIDDEN' } }] });
    }
    // Signed with the server's secret, but expired ten minutes ago.
    const expired = new DocumentUrls(DEV_DOCUMENT_URL_SECRET, 300, gatewayOrigin).url(doc.id, Date.now() - 600_000);
    const gone = await fetch(expired);
    expect(gone.status).toBe(410);
    expect((await gone.json()).errors[0].extensions.code).toBe('EXPIRED');
    const post = await fetch(doc.downloadUrl, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('loads Case.documents for a page of cases in one SQL statement', async () => {
    const page = (fields: string) =>
      graphql(stack.url, `{ cases(first: 50, orderBy: SUBMITTED_AT_ASC) { edges { node { id ${fields} } } } }`, {}, { token: staff });
    const without = await page('');
    const withDocuments = await page('documents { id fileName }');
    expect(withDocuments.errors).toBeUndefined();
    expect(withDocuments.data!.cases.edges).toHaveLength(50);
    expect(withDocuments.extensions!.stats.cases.sql - without.extensions!.stats.cases.sql).toBe(1);
  });
});

describe('the cases subgraph on the S3 store (the S3 simulator, the real SDK)', () => {
  const STAFF: Identity = { sub: 'user:test-documents-s3', role: 'STAFF' };
  let sim: RunningS3Simulator;
  let subgraph: RunningSubgraph;
  let caseId: string;

  beforeAll(async () => {
    sim = await startS3Simulator();
    const env = {
      ...process.env,
      ...sim.env,
      S3_TIMEOUT_MS: '500',
      DOCUMENT_MAX_BYTES: String(MAX_BYTES),
      OUTBOX_POLL_MS: '0',
      SYNC_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
    };
    subgraph = await startSubgraph(casesSubgraph, readCommonConfig(env), 0, '127.0.0.1', {
      env: { ...env, PUBLIC_URL: 'http://127.0.0.1:1' },
    });
    caseId = (await pool.query(`SELECT id FROM cases."case" ORDER BY id DESC LIMIT 1`)).rows[0].id;
  });

  afterAll(async () => {
    await subgraph?.stop();
    await sim?.stop();
  });

  const ask = (input: Record<string, unknown>) =>
    graphql(subgraph.url, UPLOAD, { input }, { headers: signIdentity(STAFF, DEV_IDENTITY_SECRET) });
  const input = (bytes: Buffer, over: Record<string, unknown> = {}) => ({
    ownerKind: 'CASE',
    ownerId: caseId,
    type: 'APPLICATION_SCAN',
    fileName: 'scan.pdf',
    contentBase64: bytes.toString('base64'),
    ...over,
  });
  /** The download URL on the subgraph's own origin (PUBLIC_URL names a gateway this test does not start). */
  const onSubgraph = (downloadUrl: string) => {
    const url = new URL(downloadUrl);
    return new URL(`${url.pathname}${url.search}`, subgraph.url);
  };

  it('puts the content in the bucket (none in PostgreSQL) and downloads it from there', async () => {
    sim.control.reset();
    const bytes = pdf(`s3 ${RUN}`);
    const response = await ask(input(bytes, { idempotencyKey: `s3-${RUN}` }));
    expect(response.errors).toBeUndefined();
    const doc = response.data!.uploadDocument;
    expect(sim.control.objects(sim.bucket).get(`documents/${doc.id}`)).toMatchObject({ body: bytes, contentType: 'application/pdf' });
    const row = await pool.query(
      `SELECT d.storage, (SELECT count(*)::int FROM cases.document_content c WHERE c.storage_key = d.storage_key) AS in_postgres FROM cases.document d WHERE id = $1`,
      [doc.id],
    );
    expect(row.rows).toEqual([{ storage: 's3', in_postgres: 0 }]);

    const download = await fetch(onSubgraph(doc.downloadUrl));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    // A retry is answered from the metadata: no second object.
    const retry = await ask(input(bytes, { idempotencyKey: `s3-${RUN}` }));
    expect(retry.data!.uploadDocument.id).toBe(doc.id);
    expect(sim.control.counts()).toMatchObject({ PutObject: 1, GetObject: 1, refused: 0 });

    // S3 down at download time: 503 with a JSON error, not a 500.
    sim.control.setFault('5xx');
    const unavailable = await fetch(onSubgraph(doc.downloadUrl));
    sim.control.setFault(null);
    expect(unavailable.status).toBe(503);
    expect((await unavailable.json()).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers SERVICE_UNAVAILABLE when S3 fails, and writes no metadata', async () => {
    sim.control.reset();
    sim.control.setFault('5xx');
    const before = await countDocuments(caseId);
    const response = await ask(input(pdf('s3 down')));
    sim.control.setFault(null);
    expect(codes(response)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(response.errors)).not.toContain(sim.url);
    expect(await countDocuments(caseId)).toBe(before);
  });

  it('gives up on an S3 that does not answer after S3_TIMEOUT_MS per attempt', async () => {
    sim.control.reset();
    sim.control.setFault('hang');
    const started = Date.now();
    const response = await ask(input(pdf('s3 hangs')));
    sim.control.setFault(null);
    expect(codes(response)).toEqual(['SERVICE_UNAVAILABLE']);
    // Three attempts of 500 ms each, not the gateway's deadline nor forever.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sim.control.counts().PutObject).toBe(3);
  });
});
