/**
 * The ACORD PolicyStatus code list of docs/domain.md "Carrier status as carriers send it", every code through the mapper
 * (caseStatusFrom on a 203 answer), written out here independently of the mapper's table so a typo
 * in either shows; plus the approved terms of a counter offer, requirement identity, and a code
 * nobody knows (kept raw, reported, never thrown).
 */
import { caseStatusFrom } from '../acord.mapper';
import { type XmlNode, tc } from '../txlife.xml';

/** the list of docs/domain.md "Carrier status as carriers send it": tc → [our status (null: no change), qualifier]. */
const DOMAIN_LIST: [string, string | null, string | null][] = [
  ['12', null, 'PROPOSED'],
  ['21', 'SUBMITTED', null],
  ['22', 'SUBMITTED', 'PENDING_TRANSMISSION'],
  ['8', 'IN_UNDERWRITING', null],
  ['54', 'IN_UNDERWRITING', null],
  ['23', 'INCOMPLETE', null],
  ['24', 'APPROVED', null],
  ['53', 'APPROVED', 'CONDITIONAL_APPROVAL'],
  ['58', 'APPROVED', 'TENTATIVE_OFFER'],
  ['103', 'APPROVED', 'ISSUE_HOLD'],
  ['26', 'APPROVED_OTHER_THAN_APPLIED', 'COUNTER_OFFER'],
  ['25', 'ISSUED', null],
  ['44', 'DELIVERY_REQUIREMENTS', null],
  ['43', 'ISSUED', 'NON_MATERIAL_CHANGES'],
  ['1', 'PLACED', null],
  ['27', 'DECLINED', null],
  ['35', 'DECLINED', 'NOT_ELIGIBLE'],
  ['29', 'POSTPONED', null],
  ['59', 'WITHDRAWN', 'HOME_OFFICE_WITHDREW'],
  ['60', 'WITHDRAWN', null],
  ['39', 'WITHDRAWN', 'CUSTOMER_CANCELLED'],
  ['98', 'INCOMPLETE', 'FURTHER_INFORMATION_UNOBTAINABLE'],
  ['97', 'APPROVED', 'RECONSIDERED'],
  ['7', 'NOT_TAKEN', null],
  ['65', 'NOT_TAKEN', null],
  ['51', 'NOT_TAKEN', 'NOT_PLACED'],
  ['50', 'NOT_TAKEN', 'FREE_LOOK'],
];

function answer(statusTc: string, policy: XmlNode = {}): XmlNode {
  return {
    TransResult: { ResultCode: tc('1') },
    OLifE: { Holding: { Policy: { PolicyStatus: tc(statusTc), ApplicationInfo: { TrackingID: 'SUMMIT-APP-000001' }, ...policy } } },
  };
}

function read(statusTc: string, policy: XmlNode = {}) {
  const reported: [string, string][] = [];
  const status = caseStatusFrom(answer(statusTc, policy), (field, code) => reported.push([field, code]))!;
  return { status, reported };
}

describe('ACORD PolicyStatus, every code of docs/domain.md', () => {
  it.each(DOMAIN_LIST)('tc %s → %s (%s), never reported as unknown', (statusTc, expected, qualifier) => {
    const { status, reported } = read(statusTc);
    expect(status).toMatchObject({ carrierStatusCode: statusTc, status: expected, qualifier });
    expect(reported).toEqual([]);
    // A qualified code says so in words (the hold, the reconsideration...): the case's history notes it.
    if (qualifier) expect(status.statusNote).toEqual(expect.any(String));
  });

  it('keeps a code nobody knows raw, reports it, and does not throw', () => {
    const { status, reported } = read('1000500003');
    expect(status).toMatchObject({ status: null, qualifier: null, carrierStatusCode: '1000500003' });
    expect(reported).toEqual([['PolicyStatus', '1000500003']]);
  });

  it("adds the carrier's own words on the status (an issue hold's reason) to the code's", () => {
    const { status } = read('103', { OLifEExtension: { StatusNote: 'awaiting the first premium' } });
    expect(status.statusNote).toBe('approved: issue hold: awaiting the first premium');
  });
});

describe('approved terms', () => {
  const rated = {
    Life: {
      Coverage: [
        {
          IndicatorCode: tc('1'),
          CurrentAmt: '400000',
          LifeParticipant: { UnderwritingClass: tc('3'), PermTableRating: '2', TempFlatExtraAmt: '2.50', TempFlatExtraDuration: '5' },
        },
      ],
    },
  };

  it('reads a counter offer: rated (no class of ours), table 2, a $2.50 flat extra for 5 years, $400,000', () => {
    expect(read('26', rated).status.approvedTerms).toEqual({
      healthClass: null,
      tableRating: 2,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 5,
      faceAmount: 400_000,
    });
  });

  it('reads a class of ours, and no terms before approval or when the carrier sends none', () => {
    const standard = {
      Life: { Coverage: { IndicatorCode: tc('1'), CurrentAmt: '500000', LifeParticipant: { UnderwritingClass: tc('1') } } },
    };
    expect(read('26', standard).status.approvedTerms).toEqual({
      healthClass: 'STANDARD',
      tableRating: 0,
      flatExtraPerThousandCents: 0,
      flatExtraYears: 0,
      faceAmount: 500_000,
    });
    expect(read('54', rated).status.approvedTerms).toBeNull();
    expect(read('24').status.approvedTerms).toBeNull();
  });
});

describe('requirement identity', () => {
  it("reads the carrier's id, our reference and the carrier's words; a code we do not know keeps its words", () => {
    const { status, reported } = read('54', {
      RequirementInfo: [
        {
          RequirementInfoUniqueID: 'RQ-1',
          ReqCode: tc('1'),
          ReqStatus: tc('2'),
          RequirementDetails: "Attending physician's statement",
          RequestedDate: '2026-01-05',
          OLifEExtension: { BgaReference: 'req_abc' },
        },
        { RequirementInfoUniqueID: 'RQ-2', ReqCode: tc('1'), ReqStatus: tc('4'), RequestedDate: '2026-01-05', FulfilledDate: '2026-01-20' },
        { RequirementInfoUniqueID: 'RQ-3', ReqCode: tc('1000500099'), ReqStatus: tc('2'), RequirementDetails: 'Aviation questionnaire' },
      ],
    });
    expect(status.requirements).toEqual([
      {
        carrierRequirementId: 'RQ-1',
        reference: 'req_abc',
        description: "Attending physician's statement",
        carrierCode: '1',
        code: 'APS',
        status: 'ORDERED',
        requestedOn: '2026-01-05',
        fulfilledOn: null,
      },
      {
        carrierRequirementId: 'RQ-2',
        reference: null,
        description: null,
        carrierCode: '1',
        code: 'APS',
        status: 'RECEIVED',
        requestedOn: '2026-01-05',
        fulfilledOn: '2026-01-20',
      },
      {
        carrierRequirementId: 'RQ-3',
        reference: null,
        description: 'Aviation questionnaire',
        carrierCode: '1000500099',
        code: null,
        status: 'ORDERED',
        requestedOn: null,
        fulfilledOn: null,
      },
    ]);
    expect(reported).toEqual([['ReqCode', '1000500099']]);
  });
});
