/**
 * The full application as an ACORD 103: built from a complete application it carries every party
 * and relation, the riders, the answers, the signatures and the signed PDF; a legacy case's 103 is
 * unchanged; and the simulated ACORD carrier accepts a complete one and rejects one that is not in
 * good order with one ResultInfo per reason, which the adapter turns into a rejection listing them.
 */
import { createHash } from 'node:crypto';
import { completeApplication, signedApplicationPdf, withoutBeneficiaryShare } from '../../../../../test/support/application-drafts';
import { carrierEndpoint, recordingOptions, testDeps } from '../../../../../test/support/harness';
import { startSimulators, type RunningSimulators } from '../../../../../simulators/simulators';
import type { CarrierAttachment } from '../../../../shared/application';
import type { ApplicationRequest } from '../../carrier-adapter.port';
import { createAcordAdapter } from '../acord.adapter';
import { applicationTransaction } from '../acord.mapper';
import { buildTxLife, child, children, parseTxLife, tcOf, text, type XmlNode } from '../txlife.xml';

const CODE = 'SUMMIT';
const LEVEL_TERM = 'prd_summit_level_term';
const ENVELOPE = { type: '103', date: '2026-06-15', time: '10:00:00' };

let simulators: RunningSimulators;
let pdf: CarrierAttachment;

beforeAll(async () => {
  simulators = await startSimulators();
  pdf = await signedApplicationPdf();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

function request(reference: string, overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  const application = completeApplication({ carrierCode: CODE, productCode: 'SR-LT', state: 'CA', insured: { gender: 'MALE' } });
  return {
    reference,
    caseId: 'case_acordfull',
    productId: LEVEL_TERM,
    insured: { firstName: 'Avery', lastName: 'Example', birthDate: '1986-04-02', gender: 'MALE', state: 'CA', tobacco: false },
    faceAmount: 500_000,
    termYears: 20,
    healthClass: 'PREFERRED',
    tableRating: 0,
    paymentMode: 'MONTHLY',
    // The simulator prices it itself and accepts whatever we priced: a round figure will do.
    annualPremiumCents: 41_250,
    agent: { id: 'agt_test', npn: '19283746', writingNumber: 'SR-4411' },
    application,
    attachments: [pdf],
    ...overrides,
  };
}

/** The 103 as the carrier receives it: built, serialized, parsed back. */
function wire(application: ApplicationRequest): XmlNode {
  const { carrier } = carrierEndpoint(simulators, CODE);
  const root = parseTxLife(buildTxLife(applicationTransaction(carrier, application, ENVELOPE)))!;
  return child(child(root, 'TXLifeRequest'), 'OLifE')!;
}

const relationsByRole = (olife: XmlNode) =>
  children(olife, 'Relation').map((relation) => ({
    role: tcOf(relation, 'RelationRoleCode'),
    party: relation['@_RelatedObjectID'],
    share: text(relation, 'InterestPercent'),
    description: tcOf(relation, 'RelationDescription'),
  }));

describe('the full 103', () => {
  it('has a Party per person or entity and a Relation per role, beneficiaries with their InterestPercent', () => {
    const olife = wire(request('ref-1'));
    const parties = children(olife, 'Party');
    expect(parties.map((p) => p['@_id'])).toEqual([
      'Party_Insured',
      'Party_Beneficiary_1',
      'Party_Beneficiary_2',
      'Party_Beneficiary_3',
      'Party_Agent',
    ]);
    const insured = parties[0];
    expect(text(insured, 'GovtID')).toBe('123456789');
    expect(tcOf(insured, 'GovtIDTC')).toBe('1');
    expect(text(child(insured, 'Person'), 'FirstName')).toBe('Avery');
    expect(text(child(insured, 'Person'), 'LastName')).toBe('Example');
    expect(text(child(insured, 'Person'), 'BirthDate')).toBe('1986-04-02');
    expect(tcOf(child(insured, 'Person'), 'Gender')).toBe('1');
    expect(text(child(insured, 'Person'), 'EstSalary')).toBe('150000');
    expect(text(child(insured, 'Address'), 'Line1')).toBe('1 Main St');
    expect(text(child(insured, 'Address'), 'AddressState')).toBe('CA');
    expect(text(child(insured, 'Phone'), 'DialNumber')).toBe('555-0100');
    expect(text(child(insured, 'EMailAddress'), 'AddrLine')).toBe('avery@example.com');
    // The estate is an organization with no TIN.
    expect(tcOf(parties[3], 'PartyTypeCode')).toBe('2');
    expect(tcOf(child(parties[3], 'Organization'), 'OrgForm')).toBe('9');
    expect(relationsByRole(olife)).toEqual([
      { role: '32', party: 'Party_Insured', share: undefined, description: undefined },
      { role: '8', party: 'Party_Insured', share: undefined, description: undefined },
      { role: '31', party: 'Party_Insured', share: undefined, description: undefined },
      { role: '34', party: 'Party_Beneficiary_1', share: '60', description: '1' },
      { role: '34', party: 'Party_Beneficiary_2', share: '40', description: '2' },
      { role: '36', party: 'Party_Beneficiary_3', share: '100', description: '13' },
      { role: '37', party: 'Party_Agent', share: '100', description: undefined },
    ]);
  });

  it('names a trust owner and a separate payor as parties of their own, with their TIN and SSN', () => {
    const base = request('ref-2');
    const olife = wire({
      ...base,
      application: {
        ...base.application,
        owner: { kind: 'TRUST', name: 'Example Family Trust', tin: '12-3456789', establishedOn: '2020-01-01' },
        payor: { kind: 'PERSON', fullName: 'Pat Payor', ssn: '234-56-7890', relationshipToInsured: 'PARENT' },
      },
    });
    const parties = new Map(children(olife, 'Party').map((p) => [p['@_id'], p]));
    expect(tcOf(parties.get('Party_Owner'), 'GovtIDTC')).toBe('2');
    expect(text(parties.get('Party_Owner'), 'GovtID')).toBe('123456789');
    expect(tcOf(child(parties.get('Party_Owner'), 'Organization'), 'OrgForm')).toBe('8');
    expect(text(parties.get('Party_Payor'), 'GovtID')).toBe('234567890');
    const roles = relationsByRole(olife);
    expect(roles.find((r) => r.role === '8')).toMatchObject({ party: 'Party_Owner', description: '12' });
    expect(roles.find((r) => r.role === '31')).toMatchObject({ party: 'Party_Payor' });
  });

  it('carries the riders, the answers, the replaced policy, the signatures and the signed PDF', () => {
    const base = request('ref-3');
    const olife = wire({
      ...base,
      application: {
        ...base.application,
        coverage: { ...base.application!.coverage, riders: ['WAIVER_OF_PREMIUM'] },
        answers: { ...base.application!.answers, HEART: { yes: true, details: { DIAGNOSIS: 'murmur' } } },
        existingCoverage: {
          hasExisting: true,
          policies: [{ carrierName: 'Old Life', policyNumber: 'OL-1', faceAmount: 100_000, disposition: 'LAPSE' }],
        },
      },
    });
    const [holding, replaced] = children(olife, 'Holding');
    const policy = child(holding, 'Policy')!;
    const coverages = children(child(policy, 'Life'), 'Coverage');
    expect(coverages.map((c) => [tcOf(c, 'IndicatorCode'), tcOf(c, 'LifeCovTypeCode')])).toEqual([
      ['1', undefined],
      ['2', '9'],
    ]);
    expect(tcOf(policy, 'PaymentMethod')).toBe('7');
    const info = child(policy, 'ApplicationInfo')!;
    expect(text(info, 'ApplicationJurisdiction')).toBe('CA');
    expect(tcOf(info, 'ReplacementInd')).toBe('1');
    expect(tcOf(info, 'HIPAAInd')).toBe('1');
    expect(
      children(info, 'SignatureInfo').map((s) => [tcOf(s, 'SignatureRoleCode'), text(s, 'SignatureState'), !!text(s, 'SignatureDate')]),
    ).toEqual([
      ['32', 'CA', true],
      ['37', 'CA', true],
    ]);
    expect(tcOf(child(info, 'OLifEExtension'), 'ElectronicSignatureInd')).toBe('1');
    expect(text(child(replaced, 'Policy'), 'PolNumber')).toBe('OL-1');
    expect(relationsByRole(olife).at(-1)).toMatchObject({ role: '1000500059', party: 'Holding_Replaced_1' });
    const attachment = child(holding, 'Attachment')!;
    expect(tcOf(attachment, 'AttachmentType')).toBe('30');
    expect(tcOf(attachment, 'MimeTypeTC')).toBe('17');
    expect(tcOf(attachment, 'TransferEncodingTypeTC')).toBe('4');
    const bytes = Buffer.from(text(attachment, 'AttachmentData')!, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(text(child(attachment, 'OLifEExtension'), 'Sha256'));
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const medical = children(olife, 'FormInstance').find((f) => text(f, 'FormName') === 'MEDICAL_LIFESTYLE')!;
    const responses = children(medical, 'FormResponse').map((r) => [
      text(r, 'QuestionNumber'),
      tcOf(r, 'ResponseCode') ?? text(r, 'ResponseText'),
    ]);
    expect(responses).toContainEqual(['HEART', '1']);
    expect(responses).toContainEqual(['HEART.DIAGNOSIS', 'murmur']);
    const forms = children(olife, 'FormInstance').map((f) => text(f, 'FormName'));
    expect(forms).toEqual(expect.arrayContaining(['AGENT_REPORT', 'FINANCIAL', 'APPLICATION_PART_A']));
  });

  it('leaves the 103 of a case without a full application as it was: insured, owner and agent only', () => {
    const { application: _a, attachments: _b, ...legacy } = request('ref-4');
    const olife = wire(legacy);
    expect(children(olife, 'Party').map((p) => p['@_id'])).toEqual(['Party_Insured', 'Party_Agent']);
    expect(relationsByRole(olife).map((r) => r.role)).toEqual(['32', '8', '37']);
    expect(child(child(child(olife, 'Holding'), 'Policy'), 'ApplicationInfo')).toEqual({
      HOAssignedAppNumber: 'case_acordfull',
      SignedDate: ENVELOPE.date,
    });
  });
});

describe('the simulated ACORD carrier checks the full 103', () => {
  const adapter = () => {
    const { carrier, endpoint } = carrierEndpoint(simulators, CODE);
    return createAcordAdapter(carrier, endpoint, testDeps());
  };

  it('accepts a complete application', async () => {
    const result = await adapter().submitApplication(request('full-ok'), recordingOptions());
    // The carrier prices it itself, and says so when its figure differs from ours.
    expect(result).toMatchObject({ accepted: true, carrierReference: expect.stringMatching(/^SUMMIT-APP-\d{6}$/) });
    expect(simulators.control.applications(CODE).filter((a) => a.reference === 'full-ok')).toHaveLength(1);
  });

  it('answers a missing beneficiary share with ResultCode 5 and one ResultInfo naming it; a resend gets the same answer', async () => {
    const { carrier } = carrierEndpoint(simulators, CODE);
    const base = request('full-no-share');
    const unshared = { ...base, application: withoutBeneficiaryShare(base.application!) };
    const body = buildTxLife(applicationTransaction(carrier, unshared, ENVELOPE));
    const post = () =>
      fetch(`${simulators.endpoints[CODE]}/txlife`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
    const raw = await (await post()).text();
    const result = child(child(parseTxLife(raw), 'TXLifeResponse'), 'TransResult');
    expect(tcOf(result, 'ResultCode')).toBe('5');
    expect(children(result, 'ResultInfo').map((info) => [tcOf(info, 'ResultInfoCode'), text(info, 'ResultInfoDesc')])).toEqual([
      ['200', "Relation[@id='Relation_4']/InterestPercent: primary beneficiary share is required"],
    ]);
    // No personal data in the answer.
    expect(raw).not.toContain('Example');
    expect(raw).not.toContain('123456789');
    // The same answer, but for when it was given (TransExeDate/TransExeTime may cross a second).
    const undated = (xml: string) => xml.replace(/<TransExe(Date|Time)>[^<]*<\/TransExe\1>/g, '');
    expect(undated(await (await post()).text())).toBe(undated(raw));
    expect(simulators.control.applications(CODE).filter((a) => a.reference === 'full-no-share')).toHaveLength(0);

    const rejected = await adapter().submitApplication(unshared, recordingOptions());
    expect(rejected).toEqual({
      accepted: false,
      message: "Relation[@id='Relation_4']/InterestPercent: primary beneficiary share is required",
    });
  });

  it('lists every reason: shares off 100, an impossible SSN, a missing signature, a PDF whose hash does not match', async () => {
    const base = request('full-many');
    const application = structuredClone(base.application!);
    application.beneficiaries = [
      { ...application.beneficiaries![0], sharePercent: 50 },
      { ...application.beneficiaries![1], sharePercent: 40 },
    ];
    application.insured = { ...application.insured, ssn: '666-12-3456' };
    application.signatures = application.signatures!.filter((s) => s.role !== 'AGENT');
    const result = await adapter().submitApplication(
      { ...base, application, attachments: [{ ...pdf, sha256: '0'.repeat(64) }] },
      recordingOptions(),
    );
    expect(result.accepted).toBe(false);
    const reasons = (result as { message: string }).message.split('; ');
    expect(reasons).toEqual([
      'OLifE/Relation (primary beneficiaries): primary beneficiary shares sum to 90, not 100',
      "Party[@id='Party_Insured']: the SSN is not of a form ever issued",
      "ApplicationInfo/SignatureInfo: the agent's signature is missing",
      "Holding/Attachment[@id='Attachment_1']: the SHA-256 does not match the attached bytes",
    ]);
  });

  it('wants the signed PDF when the application says it was signed electronically', async () => {
    const result = await adapter().submitApplication({ ...request('full-no-pdf'), attachments: [] }, recordingOptions());
    expect(result).toEqual({
      accepted: false,
      message: 'Holding/Attachment: the application was signed electronically but the signed application is not attached',
    });
  });
});
