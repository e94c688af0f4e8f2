/**
 * The simulated carriers' not-in-good-order check on its protocol-neutral input: each rule alone,
 * one problem per fault, paths and words without values.
 */
import { createHash } from 'node:crypto';
import { applicationProblems, ssnIssuable, tinIssuable, type SubmittedApplication } from '../application-check';

const CONTENT = Buffer.from('%PDF-1.7 signed').toString('base64');
const SHA = createHash('sha256').update(Buffer.from(CONTENT, 'base64')).digest('hex');

function complete(): SubmittedApplication {
  return {
    state: 'TX',
    statePath: 'state',
    parties: new Map([
      ['insured', { path: 'insured', kind: 'PERSON', named: true, govtId: '123-45-6789', govtIdType: 'SSN' }],
      ['b1', { path: 'b1', kind: 'PERSON', named: true }],
      ['b2', { path: 'b2', kind: 'ORGANIZATION', named: true, govtId: '12-3456789', govtIdType: 'TIN' }],
      ['agent', { path: 'agent', kind: 'PERSON', named: true }],
    ]),
    relations: [
      { role: 'INSURED', path: 'r1', party: 'insured' },
      { role: 'OWNER', path: 'r2', party: 'insured' },
      { role: 'PRIMARY_BENEFICIARY', path: 'r3', party: 'b1', share: '100', sharePath: 'r3/share' },
      { role: 'CONTINGENT_BENEFICIARY', path: 'r4', party: 'b2', share: 100, sharePath: 'r4/share' },
      { role: 'WRITING_AGENT', path: 'r5', party: 'agent' },
    ],
    relationsPath: 'relations',
    signatures: [
      { role: 'INSURED', path: 's1', date: '2026-06-01', state: 'TX' },
      { role: 'AGENT', path: 's2', date: '2026-06-01', state: 'TX' },
    ],
    signaturesPath: 'signatures',
    paysByEft: true,
    electronicallySigned: true,
    attachments: [{ path: 'a1', signedApplication: true, sha256: SHA, contentBase64: CONTENT }],
    attachmentsPath: 'attachments',
  };
}

const codes = (application: SubmittedApplication) => applicationProblems(application).map((p) => `${p.code} ${p.path}`);

describe('applicationProblems', () => {
  it('finds none in a complete application', () => {
    expect(applicationProblems(complete())).toEqual([]);
  });

  it('wants an insured, an owner and an agent, and every relation to name a party that was sent', () => {
    const application = complete();
    expect(
      codes({
        ...application,
        relations: [
          ...application.relations.filter((r) => r.role !== 'OWNER' && r.role !== 'WRITING_AGENT'),
          { role: 'PAYOR', path: 'r9', party: 'ghost' },
        ],
      }),
      // The payor named is not the owner and pays by EFT: their signature is wanted too.
    ).toEqual(['RELATION_INCONSISTENT r9', 'PARTY_MISSING relations', 'PARTY_MISSING relations', 'SIGNATURE_MISSING signatures']);
  });

  it('wants a primary beneficiary, whole shares, and each designation summing to 100', () => {
    const application = complete();
    const without = application.relations.filter((r) => r.role !== 'PRIMARY_BENEFICIARY');
    expect(codes({ ...application, relations: without })).toEqual(['NO_PRIMARY_BENEFICIARY relations']);
    const halves = [
      ...without,
      { role: 'PRIMARY_BENEFICIARY' as const, path: 'p1', party: 'b1', share: 50, sharePath: 'p1/share' },
      { role: 'PRIMARY_BENEFICIARY' as const, path: 'p2', party: 'b1', share: 40.5, sharePath: 'p2/share' },
    ];
    expect(codes({ ...application, relations: halves })).toEqual(['SHARE_INVALID p2/share']);
    halves[halves.length - 1] = { ...halves[halves.length - 1], share: 40 };
    expect(applicationProblems({ ...application, relations: halves })).toEqual([
      { path: 'relations (primary beneficiaries)', code: 'SHARES_NOT_100', message: 'primary beneficiary shares sum to 90, not 100' },
    ]);
  });

  it('knows SSNs and TINs never issued', () => {
    expect(['123-45-6789', '219099999'].map(ssnIssuable)).toEqual([true, true]);
    expect(['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '12345678'].map(ssnIssuable)).toEqual(
      Array(6).fill(false),
    );
    expect(['12-3456789', '00-1234567', '1234567'].map(tinIssuable)).toEqual([true, false, false]);
    const application = complete();
    const parties = new Map(application.parties);
    parties.set('insured', { ...parties.get('insured')!, govtId: '666-12-3456' });
    parties.set('b2', { ...parties.get('b2')!, govtId: '00-1234567' });
    const problems = applicationProblems({ ...application, parties });
    expect(problems.map((p) => `${p.code} ${p.path}`)).toEqual(['INVALID_SSN insured', 'INVALID_TIN b2']);
    expect(JSON.stringify(problems)).not.toMatch(/666|1234567/);
  });

  it("wants the insured's and agent's dated signatures, the owner's and an EFT payor's when they are someone else, all in the state", () => {
    const application = complete();
    const parties = new Map(application.parties).set('owner', { path: 'owner', kind: 'PERSON', named: true });
    const relations = application.relations.map((r) => (r.role === 'OWNER' ? { ...r, party: 'owner' } : r));
    expect(codes({ ...application, parties, relations })).toEqual(['SIGNATURE_MISSING signatures']);
    expect(
      codes({
        ...application,
        signatures: [
          { role: 'INSURED', path: 's1', date: undefined, state: 'TX' },
          { role: 'AGENT', path: 's2', date: '2026-06-01', state: 'OK' },
        ],
      }),
    ).toEqual(['SIGNATURE_MISSING s1', 'SIGNED_IN_OTHER_STATE s2']);
    const payor = {
      ...application,
      parties: new Map(application.parties).set('payor', { path: 'payor', kind: 'PERSON' as const, named: true }),
      relations: [...application.relations, { role: 'PAYOR' as const, path: 'r6', party: 'payor' }],
    };
    expect(codes(payor)).toEqual(['SIGNATURE_MISSING signatures']);
    expect(codes({ ...payor, paysByEft: false })).toEqual([]);
  });

  it('wants the signed PDF when signed electronically, and its SHA-256 to match its bytes', () => {
    expect(codes({ ...complete(), attachments: [] })).toEqual(['ATTACHMENT_MISSING attachments']);
    expect(codes({ ...complete(), electronicallySigned: false, attachments: [] })).toEqual([]);
    expect(
      codes({ ...complete(), attachments: [{ path: 'a1', signedApplication: true, sha256: 'ab'.repeat(32), contentBase64: CONTENT }] }),
    ).toEqual(['ATTACHMENT_DIGEST_MISMATCH a1']);
  });
});
