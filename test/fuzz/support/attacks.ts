/**
 * Hostile requests, one arbitrary per category: shapes that try to make the gateway work too hard
 * (depth, aliases, fragments, directives, huge variables), bytes it must refuse cleanly (invalid
 * UTF-8, bad JSON, wrong content types, bodies over MAX_BODY_BYTES), protocol corners (batches,
 * GET query strings, operation names) and plain noise.
 */
import fc from 'fast-check';
import type { RawRequest } from './harness';
import { markerFor } from './grammar';

export interface Attack {
  request: RawRequest;
  /** Planted PII stand-ins in the variables. */
  markers?: string[];
  /** The request is cut off on purpose: the server may close the connection instead of answering. */
  mayClose?: boolean;
  /** A few words for the failure report. */
  label: string;
  /** A grammar document meant to be valid: refusing it as GRAPHQL_VALIDATION_FAILED is a finding too. */
  meantValid?: boolean;
}

export interface AuthChoice {
  /** Authorization header values to choose from, weighted by repetition (undefined: none). */
  headers: (string | undefined)[];
}

const json = (body: unknown) => Buffer.from(JSON.stringify(body));

let serial = 0;
const marker = () => markerFor(1e9 + serial++);

/** Wraps a body in a POST with a content type and one of the callers. */
function post(
  auth: fc.Arbitrary<string | undefined>,
  body: fc.Arbitrary<{ body: Buffer; markers?: string[]; label: string }>,
  contentType = 'application/json',
): fc.Arbitrary<Attack> {
  return fc.tuple(auth, body).map(([authorization, b]) => ({
    label: b.label,
    markers: b.markers,
    request: {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
      body: b.body,
    },
  }));
}

const query = (text: string, variables?: unknown, label = 'query') => ({
  body: json({ query: text, ...(variables === undefined ? {} : { variables }) }),
  label,
});

export function attacks(auth: fc.Arbitrary<string | undefined>, maxBodyBytes: number): Record<string, fc.Arbitrary<Attack>> {
  const deepNesting = fc.oneof(
    fc
      .integer({ min: 8, max: 400 })
      .map((n) =>
        query(`{ agents(first: 1) { edges { node { ${'downline { '.repeat(n)}id${' }'.repeat(n)} } } } }`, undefined, `downline x${n}`),
      ),
    fc
      .integer({ min: 8, max: 2000 })
      .map((n) => query(`{ ${'... on Query { '.repeat(n)}carriers { id }${' }'.repeat(n)} }`, undefined, `inline fragments x${n}`)),
    fc
      .integer({ min: 8, max: 5000 })
      .map((n) =>
        query(`{ agents(filter: { statuses: ${'['.repeat(n)}ACTIVE${']'.repeat(n)} }) { totalCount } }`, undefined, `list literal x${n}`),
      ),
    fc
      .integer({ min: 8, max: 5000 })
      .map((n) =>
        query(
          `{ agents(filter: { search: $s }) { totalCount } }`.replace(
            '{ agents',
            `query Q($s: ${'['.repeat(n)}String${']'.repeat(n)}) { agents`,
          ),
          undefined,
          `variable type x${n}`,
        ),
      ),
    fc.integer({ min: 8, max: 3000 }).map((n) => ({
      // Deeply nested JSON in the variables: built by hand, JSON.stringify would recurse as deep.
      body: Buffer.from(
        `{"query":"query Q($f: AgentFilter) { agents(filter: $f) { totalCount } }","variables":{"f":{"statuses":${'['.repeat(n)}"ACTIVE"${']'.repeat(n)}}}}`,
      ),
      label: `nested JSON variable x${n}`,
    })),
    fc
      .integer({ min: 2, max: 60 })
      .map((n) =>
        query(`{ ${'carriers { products { carrier { '.repeat(n)}id${' } } }'.repeat(n)} }`, undefined, `carrier/product cycle x${n}`),
      ),
  );

  const aliasBomb = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 15, max: 3000 }),
        fc.constantFrom(
          'carriers { id }',
          '__typename',
          'cases(first: 50) { totalCount }',
          'compareQuotes(input: {state: TX, birthDate: "1990-03-10", gender: MALE, tobacco: false, healthClass: PREFERRED, faceAmount: 500000, termYears: 20}) { quotes { annualPremium } }',
        ),
      )
      .map(([n, field]) =>
        query(
          `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`,
          undefined,
          `${n} aliases of ${field.split(/[ (]/)[0]}`,
        ),
      ),
    fc
      .integer({ min: 2, max: 40 })
      .map((n) =>
        query(
          `{ carriers { ${Array.from({ length: n }, (_, i) => `p${i}: products { c${i}: carrier { ${Array.from({ length: n }, (_, j) => `n${j}: name`).join(' ')} } }`).join(' ')} } }`,
          undefined,
          `nested aliases ${n}x${n}`,
        ),
      ),
    // The same field many times without aliases: merges into one, but costs the validator.
    fc.integer({ min: 100, max: 20_000 }).map((n) => query(`{ carriers { ${'id '.repeat(n)}} }`, undefined, `${n} repeated fields`)),
  );

  const fragmentBomb = fc.oneof(
    // Each fragment spreads the next `fan` times: fan^levels fields once expanded.
    fc.tuple(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 2, max: 10 })).map(([levels, fan]) => {
      const defs = Array.from({ length: levels }, (_, i) =>
        i === levels - 1
          ? `fragment F${i} on Carrier { id name }`
          : `fragment F${i} on Carrier { ${Array.from({ length: fan }, () => `...F${i + 1}`).join(' ')} }`,
      );
      return query(`{ carriers { ...F0 } } ${defs.join(' ')}`, undefined, `fragment bomb ${fan}^${levels}`);
    }),
    fc.integer({ min: 1, max: 50 }).map((n) => {
      const defs = Array.from({ length: n }, (_, i) => `fragment C${i} on Query { carriers { id } ...C${(i + 1) % n} }`);
      return query(`{ ...C0 } ${defs.join(' ')}`, undefined, `fragment cycle of ${n}`);
    }),
    fc.integer({ min: 1, max: 50 }).map((n) => {
      const defs = Array.from({ length: n }, (_, i) => `fragment A${i} on Agent { id downline { ...A${(i + 1) % n} } }`);
      return query(`{ agents(first: 2) { edges { node { ...A0 } } } } ${defs.join(' ')}`, undefined, `nested fragment cycle of ${n}`);
    }),
    fc
      .integer({ min: 2, max: 500 })
      .map((n) =>
        query(`{ carriers { ...Dup } } ${'fragment Dup on Carrier { id } '.repeat(n)}`, undefined, `${n} fragments with one name`),
      ),
    fc
      .integer({ min: 1, max: 2000 })
      .map((n) => query(`{ carriers { ${'...Missing '.repeat(n)} id } }`, undefined, `${n} unknown spreads`)),
    fc
      .integer({ min: 2, max: 3000 })
      .map((n) =>
        query(
          `{ carriers { id } } ${Array.from({ length: n }, (_, i) => `fragment U${i} on Carrier { id }`).join(' ')}`,
          undefined,
          `${n} unused fragments`,
        ),
      ),
  );

  const directiveFlood = fc
    .tuple(
      fc.integer({ min: 10, max: 4000 }),
      fc.constantFrom(
        '@include(if: true)',
        '@skip(if: false)',
        '@nope',
        '@deprecated',
        '@include(if: $t)',
        '@defer',
        '@stream(initialCount: 1)',
        '@specifiedBy(url: "x")',
      ),
      fc.constantFrom('field', 'operation', 'fragment', 'spread'),
    )
    .map(([n, directive, where]) => {
      const flood = ` ${directive}`.repeat(n);
      const text =
        where === 'field'
          ? `query Q($t: Boolean = true) { carriers${flood} { id } }`
          : where === 'operation'
            ? `query Q($t: Boolean = true)${flood} { carriers { id } }`
            : where === 'fragment'
              ? `query Q($t: Boolean = true) { carriers { ...F } } fragment F on Carrier${flood} { id }`
              : `query Q($t: Boolean = true) { carriers { ...F${flood} } } fragment F on Carrier { id }`;
      return query(text, undefined, `${n} x ${directive} on ${where}`);
    });

  const hugeVariables = fc
    .oneof(
      fc.integer({ min: 10_000, max: Math.floor(maxBodyBytes * 0.9) }).map((size) => {
        const m = marker();
        return {
          ...query('query Q($s: String) { agents(first: 1, filter: { search: $s }) { totalCount } }', { s: `${m}${'x'.repeat(size)}` }),
          markers: [m],
          label: `${size}-char search string`,
        };
      }),
      fc.integer({ min: 10_000, max: Math.floor(maxBodyBytes * 0.9) }).map((size) => {
        const m = marker();
        return {
          ...query('query Q($n: String!) { caseByNumber(caseNumber: $n) { id } }', { n: `${'y'.repeat(size)}${m}` }),
          markers: [m],
          label: `${size}-char case number`,
        };
      }),
      fc
        .integer({ min: 1_000, max: Math.floor(maxBodyBytes / 10) })
        .map((n) =>
          query(
            'query Q($f: AgentFilter) { agents(filter: $f) { totalCount } }',
            { f: { statuses: Array.from({ length: n }, (_, i) => ['ACTIVE', 'PENDING', 'SUSPENDED'][i % 3]) } },
            `${n}-item enum list`,
          ),
        ),
      fc.integer({ min: 1_000, max: Math.floor(maxBodyBytes / 12) }).map((n) => {
        const m = marker();
        return {
          ...query('query Q($f: AgentFilter) { agents(filter: $f) { totalCount } }', {
            f: { statuses: Array.from({ length: n }, (_, i) => (i === n - 1 ? m : 'ACTIVE')) },
          }),
          markers: [m],
          label: `${n}-item enum list with a bad last item`,
        };
      }),
      fc.integer({ min: 1_000, max: Math.floor(maxBodyBytes / 12) }).map((n) => {
        const m = marker();
        return {
          ...query('query Q($i: QuoteInput!) { compareQuotes(input: $i) { quotes { annualPremium } } }', {
            i: Object.fromEntries(Array.from({ length: n }, (_, k) => [`k${k}`, m])),
          }),
          markers: [m],
          label: `input object with ${n} unknown keys`,
        };
      }),
      fc
        .integer({ min: 1_000, max: Math.floor(maxBodyBytes / 12) })
        .map((n) =>
          query(
            '{ carriers { id } }',
            Object.fromEntries(Array.from({ length: n }, (_, k) => [`unused${k}`, k])),
            `${n} undeclared variables`,
          ),
        ),
      fc.integer({ min: 1_000, max: 100_000 }).map((n) => {
        const m = marker();
        return {
          ...query('mutation M($c: ID!, $n: String!) { addCaseNote(caseId: $c, note: $n) { type } }', {
            c: 'fuzz_none',
            n: `${m} ${'z'.repeat(n)}`,
          }),
          markers: [m],
          label: `${n}-char note on an unknown case`,
        };
      }),
    )
    .map((b) => b as { body: Buffer; markers?: string[]; label: string });

  const wrongTypes = fc
    .oneof(
      fc
        .constantFrom<unknown>(1, true, null, [], {}, ['{ carriers { id } }'], { kind: 'Document' }, '')
        .map((q) => ({ body: json({ query: q }), label: `query as ${JSON.stringify(q)}` })),
      fc
        .constantFrom<unknown>('x', 1, [], true, '{"a":1}')
        .map((v) => ({ body: json({ query: '{ carriers { id } }', variables: v }), label: `variables as ${JSON.stringify(v)}` })),
      fc.constantFrom<unknown>(1, {}, [], true, 'x'.repeat(5_000)).map((o) => ({
        body: json({ query: '{ carriers { id } }', operationName: o }),
        label: `operationName as ${String(o).slice(0, 20)}`,
      })),
      fc
        .tuple(
          fc.constantFrom<unknown>(
            1,
            'x',
            [],
            null,
            { persistedQuery: 1 },
            { persistedQuery: 'x' },
            { persistedQuery: [] },
            { persistedQuery: { version: 1, sha256Hash: 'abc' } },
            { persistedQuery: { version: 2 } },
            { persistedQuery: { version: '1', sha256Hash: 'abc' } },
            { persistedQuery: { version: 1, sha256Hash: 123 } },
            { persistedQuery: { version: 1, sha256Hash: { $gt: '' } } },
            { persistedQuery: { version: 1 } },
            { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(10_000) } },
          ),
          fc.boolean(),
        )
        .map(([e, withQuery]) => ({
          body: json({ ...(withQuery ? { query: '{ carriers { id } }' } : {}), extensions: e }),
          label: `extensions ${JSON.stringify(e).slice(0, 60)}${withQuery ? ' with a query' : ''}`,
        })),
      fc
        .tuple(
          fc.constantFrom(
            'Int',
            'Int!',
            'Float',
            'Boolean!',
            'ID!',
            'Date',
            'DateTime',
            'Money',
            'State',
            '[State!]!',
            'QuoteInput',
            'CaseFilter',
          ),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map(([type, v]) => {
          const m = marker();
          const value =
            typeof v === 'string' ? `${v}${m}` : Array.isArray(v) ? [...v, m] : v && typeof v === 'object' ? { ...v, [m]: m } : v;
          return {
            body: json({ query: `query Q($v: ${type}) { __typename }`, variables: { v: value } }),
            markers: [m],
            label: `$v: ${type} = ${JSON.stringify(value).slice(0, 40)}`,
          };
        }),
      fc.tuple(fc.constantFrom('first', 'after', 'orderBy', 'filter'), fc.jsonValue({ maxDepth: 2 })).map(([arg, v]) => {
        const m = marker();
        const type = { first: 'Int', after: 'String', orderBy: 'CaseOrder', filter: 'CaseFilter' }[arg];
        const value = typeof v === 'string' ? m : v;
        return {
          body: json({ query: `query Q($x: ${type}) { cases(${arg}: $x) { totalCount } }`, variables: { x: value } }),
          markers: [m],
          label: `cases(${arg}) = ${JSON.stringify(value).slice(0, 40)}`,
        };
      }),
    )
    .map((b) => b as { body: Buffer; markers?: string[]; label: string });

  const invalidUtf8 = fc
    .tuple(
      fc.constantFrom(
        [0xc3, 0x28],
        [0xa0, 0xa1],
        [0xe2, 0x28, 0xa1],
        [0xf0, 0x28, 0x8c, 0x28],
        [0xff],
        [0xfe, 0xff],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0x00],
      ),
      fc.constantFrom('in-string', 'in-name', 'in-json', 'prefix', 'variables'),
    )
    .map(([bytes, where]) => {
      const bad = Buffer.from(bytes);
      const pieces: Record<string, Buffer[]> = {
        'in-string': [Buffer.from('{"query":"{ agents(filter: {search: \\"'), bad, Buffer.from('\\"}) { totalCount } }"}')],
        'in-name': [Buffer.from('{"query":"{ carr'), bad, Buffer.from('iers { id } }"}')],
        'in-json': [Buffer.from('{"query":"{ carriers { id } }"'), bad, Buffer.from('}')],
        prefix: [bad, Buffer.from('{"query":"{ carriers { id } }"}')],
        variables: [
          Buffer.from('{"query":"query Q($s: String) { agents(filter: {search: $s}) { totalCount } }","variables":{"s":"'),
          bad,
          Buffer.from('"}}'),
        ],
      };
      return { body: Buffer.concat(pieces[where]), label: `bytes ${bad.toString('hex')} ${where}` };
    });

  const badJson = fc.oneof(
    fc
      .constantFrom(
        '{"query":"{ carriers { id } }"',
        '{"query":"{ carriers { id } }",}',
        "{'query':'{ carriers { id } }'}",
        '{"query":NaN}',
        '{"query":"{ carriers { id } }"} // c',
        '\ufeff{"query":"{ carriers { id } }"}',
        '{"query":"{ carriers { id } }","query":"{ cases { totalCount } }"}',
        '{"query":"\\ud800"}',
        '{"query":"\\u00"}',
        '{"query":"{ carriers { id } }","variables":1e999999}',
        'null',
        'true',
        '"{ carriers { id } }"',
        '12',
        '{}',
        '{"__proto__":{"query":"{ carriers { id } }"}}',
        '{"constructor":{"prototype":{"query":"x"}}}',
        '{"query":"{ carriers { id } }","variables":{"__proto__":{"admin":true}}}',
        ' ',
        '\n\n',
        '{"query":"{ carriers { id } }"}{"query":"x"}',
      )
      .map((text) => ({ body: Buffer.from(text), label: `json ${JSON.stringify(text).slice(0, 40)}` })),
    fc
      .integer({ min: 100, max: 200_000 })
      .map((n) => ({ body: Buffer.from(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`), label: `JSON nested ${n} deep` })),
    fc.integer({ min: 100, max: 200_000 }).map((n) => ({
      body: Buffer.from(`{"query":"{ carriers { id } }","variables":{"v":${'['.repeat(n)}${']'.repeat(n)}}}`),
      label: `JSON array nested ${n} deep`,
    })),
    fc.string({ unit: 'binary', maxLength: 300 }).map((text) => ({ body: Buffer.from(`{"query":${text}`), label: 'truncated random' })),
  );

  const contentTypes = fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'text/plain;charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/graphql',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/JSON',
        'APPLICATION/JSON',
        'application/jsonx',
        'application/xml',
        'application/json, text/plain',
        '',
        '*/*',
        'application/graphql-response+json',
        'application/json\u00ff',
        'image/png',
        'application/json; boundary=----',
        'application/x-json',
      ),
      fc.constantFrom(
        '{"query":"{ carriers { id } }"}',
        '{ carriers { id } }',
        'query={ carriers { id } }',
        '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ carriers { id } }"}\r\n--x--',
      ),
      auth,
      fc.boolean(),
    )
    .map(
      ([contentType, body, authorization, preflight]): Attack => ({
        label: `content-type ${JSON.stringify(contentType)} with ${body.slice(0, 20)}`,
        request: {
          method: 'POST',
          path: '/graphql',
          headers: {
            ...(contentType === '' ? {} : { 'content-type': contentType }),
            ...(authorization ? { authorization } : {}),
            ...(preflight ? { 'apollo-require-preflight': 'true' } : {}),
          },
          body: Buffer.from(body),
        },
      }),
    );

  const oversized = fc.oneof(
    // Declared over the limit: refused before a byte of the body is read.
    fc.integer({ min: maxBodyBytes + 1, max: maxBodyBytes * 4 }).map(
      (size): Attack => ({
        label: `declared ${size} bytes`,
        mayClose: true,
        request: {
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(`{"query":"{ carriers { id } } #${'x'.repeat(size - 34)}"}`),
          fresh: true,
        },
      }),
    ),
    // Chunked, no length: refused once the stream passes the limit.
    fc
      .tuple(fc.integer({ min: maxBodyBytes + 1, max: maxBodyBytes * 3 }), fc.integer({ min: 1024, max: 256 * 1024 }))
      .map(([size, chunk]): Attack => {
        const body = Buffer.from(`{"query":"{ carriers { id } }","variables":{"s":"${'x'.repeat(size)}"}}`);
        const chunks: Buffer[] = [];
        for (let at = 0; at < body.length; at += chunk) chunks.push(body.subarray(at, at + chunk));
        return {
          label: `chunked ${size} bytes in ${chunk}-byte chunks`,
          mayClose: true,
          request: {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
            chunks,
          },
        };
      }),
    // Just under and just over the limit, sent whole.
    fc.integer({ min: -64, max: 64 }).map((delta): Attack => {
      const size = maxBodyBytes + delta;
      const head = '{"query":"{ carriers { id } }","variables":{"s":"';
      const tail = '"}}';
      return {
        label: `${delta >= 0 ? '+' : ''}${delta} bytes around the limit`,
        mayClose: delta > 0,
        request: {
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(`${head}${'x'.repeat(size - head.length - tail.length)}${tail}`),
          fresh: true,
        },
      };
    }),
  );

  const batched = fc.oneof(
    fc
      .integer({ min: 0, max: 200 })
      .map((n) => ({ body: json(Array.from({ length: n }, () => ({ query: '{ carriers { id } }' }))), label: `batch of ${n}` })),
    fc
      .constantFrom<unknown>(
        [[{ query: '{ carriers { id } }' }]],
        [1, 2],
        [null],
        ['{ carriers { id } }'],
        [{}],
        [{ query: 'mutation { addCaseNote(caseId: "fuzz_x", note: "x") { type } }' }],
      )
      .map((b) => ({ body: json(b), label: `batch ${JSON.stringify(b).slice(0, 40)}` })),
  );

  const getQueryStrings = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          '?query={carriers{id}}',
          '?query=%7Bcarriers%7Bid%7D%7D',
          '?query=%ZZ',
          '?query=%',
          '?query=%E0%A4%A',
          '?query=%C3%28',
          '?query=%FF',
          '?query[]=x',
          '?query=x&query=y',
          '?query={carriers{id}}&query={cases{totalCount}}',
          '?query={carriers{id}}&variables=%7B',
          '?query={carriers{id}}&variables=[1]',
          '?query={carriers{id}}&variables=null',
          '?query={carriers{id}}&extensions=%7B%22persistedQuery%22:1%7D',
          '?query=mutation{addCaseNote(caseId:"fuzz_x",note:"x"){type}}',
          '?query={carriers{id}}&operationName=Nope',
          '?',
          '',
          '?=',
          '?&&&',
          '?query=',
          '?variables={}',
          '?query=%00',
          '?query={__schema{types{name}}}',
          '?query=query%20Q($s:String!){caseByNumber(caseNumber:$s){id}}&variables=%7B%22s%22:1%7D',
          '?query={carriers{id}}#frag',
          '?query=\u00e9\u00ff',
        ),
        fc.integer({ min: 1_000, max: 20_000 }).map((n) => `?query={carriers{id}}&pad=${'a'.repeat(n)}`),
        fc.integer({ min: 1, max: 500 }).map((n) => `?${Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&')}&query={carriers{id}}`),
        fc.webQueryParameters().map((q) => `?${q}`),
        fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((s) => `?query=${encodeURIComponent(s)}`),
      ),
      fc.constantFrom<Record<string, string>>(
        { 'apollo-require-preflight': 'true' },
        {},
        { 'content-type': 'application/json' },
        { accept: 'text/html' },
        { accept: 'application/graphql-response+json', 'x-apollo-operation-name': 'x' },
        { accept: 'text/event-stream', 'apollo-require-preflight': '1' },
      ),
      fc.constantFrom(
        '/graphql',
        '/',
        '/graphql/',
        '//graphql',
        '/graphql;x',
        '/GRAPHQL',
        '/health',
        '/ready',
        '/metrics',
        '//[',
        '//:99999/graphql',
        '//%zz/graphql',
        '//user:pw@host/graphql',
        'http://evil/graphql',
        '*',
        '/graphql/..%2f..%2fhealth',
        '/%00',
      ),
      auth,
    )
    .map(
      ([search, headers, path, authorization]): Attack => ({
        label: `GET ${path}${search.slice(0, 60)}`,
        request: { method: 'GET', path: `${path}${search}`, headers: { ...headers, ...(authorization ? { authorization } : {}) } },
      }),
    );

  const operationNames = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }).map((name) => ({
      body: json({ query: 'query A { carriers { id } } query B { carriers { name } }', operationName: name }),
      label: `operationName ${JSON.stringify(name).slice(0, 30)} of two`,
    })),
    fc.string({ unit: 'grapheme', maxLength: 60 }).map((name) => ({
      body: json({ query: '{ carriers { id } }', operationName: name }),
      label: `operationName ${JSON.stringify(name).slice(0, 30)} of anonymous`,
    })),
    fc.constant({ body: json({ query: 'query A { carriers { id } } query B { carriers { name } }' }), label: 'two operations, no name' }),
    fc.constant({
      body: json({ query: 'query A { carriers { id } } query A { carriers { name } }', operationName: 'A' }),
      label: 'two operations, one name',
    }),
    fc.constant({ body: json({ query: 'fragment F on Carrier { id }' }), label: 'no operation at all' }),
    fc.integer({ min: 2, max: 500 }).map((n) => ({
      body: json({ query: Array.from({ length: n }, (_, i) => `query O${i} { carriers { id } }`).join(' '), operationName: `O${n - 1}` }),
      label: `${n} operations`,
    })),
    // Distinct valid names: each becomes a metrics label (bounded by the gateway, see metrics.ts).
    fc
      .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,80}$/)
      .map((name) => ({ body: json({ query: `query ${name} { carriers { id } }` }), label: `named ${name.slice(0, 30)}` })),
    fc
      .integer({ min: 100, max: 50_000 })
      .map((n) => ({ body: json({ query: `query ${'N'.repeat(n)} { carriers { id } }` }), label: `${n}-char operation name` })),
  );

  return {
    'deep-nesting': post(auth, deepNesting),
    'alias-bomb': post(auth, aliasBomb),
    'fragment-bomb': post(auth, fragmentBomb),
    'directive-flood': post(auth, directiveFlood),
    'huge-variables': post(auth, hugeVariables),
    'wrong-types': post(auth, wrongTypes),
    'invalid-utf8': post(auth, invalidUtf8),
    'bad-json': post(auth, badJson),
    'content-type': contentTypes,
    oversized: oversized,
    batched: post(auth, batched),
    'get-query-string': getQueryStrings,
    'operation-names': post(auth, operationNames),
  };
}

/** Anything at all over HTTP: method, path, headers and body. */
export function randomHttp(auth: fc.Arbitrary<string | undefined>): fc.Arbitrary<Attack> {
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 500 }).map((text) => Buffer.from(text)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => json(value)),
    fc
      .record(
        {
          query: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 2 })),
          variables: fc.option(fc.jsonValue({ maxDepth: 3 })),
          operationName: fc.option(fc.jsonValue({ maxDepth: 1 })),
          extensions: fc.option(fc.jsonValue({ maxDepth: 2 })),
        },
        { requiredKeys: [] },
      )
      .map((value) => json(value)),
    fc.constant(undefined),
  );
  const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
  return fc
    .record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'),
      path: fc.oneof(
        fc.constantFrom(
          '/graphql',
          '/graphql',
          '/graphql',
          '/',
          '/health',
          '/ready',
          '/metrics',
          '/graphql?query={carriers{id}}',
          '//[',
          '//[::1/graphql',
          '//a%/graphql',
          '*',
        ),
        fc.webPath().map((p) => p || '/'),
        // Any request target node:http will send (no spaces or control characters).
        fc.stringMatching(/^[\x21-\x7e]{1,60}$/),
      ),
      contentType: fc.option(
        fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'multipart/form-data', 'application/json; charset=utf-8'),
      ),
      extra: fc.dictionary(
        fc.constantFrom(
          'x-debug-stats',
          'x-bga-identity',
          'x-bga-signature',
          'accept',
          'apollo-require-preflight',
          'x-apollo-operation-name',
          'x-request-id',
          'accept-encoding',
          'origin',
          'cookie',
        ),
        headerValue,
        { maxKeys: 4 },
      ),
      authorization: auth,
      body,
    })
    .map(
      ({ method, path, contentType, extra, authorization, body: b }): Attack => ({
        label: `${method} ${path.slice(0, 40)} ${contentType ?? ''} ${b ? `${b.length} bytes` : 'no body'}`,
        request: {
          method,
          path,
          headers: { ...extra, ...(contentType ? { 'content-type': contentType } : {}), ...(authorization ? { authorization } : {}) },
          body: method === 'GET' || method === 'HEAD' ? undefined : b,
        },
      }),
    );
}
