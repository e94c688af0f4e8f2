/**
 * The ACORD code lists CHARTWELL, the simulated APS retrieval vendor, publishes in its
 * implementation guide: the transactions it takes, result codes, the requirement and role codes it
 * reads, and its private ReqStatus codes for its stages (ACORD reserves tc values from
 * 1,000,000,000 up for a trading partner's own use). The BGA's adapter keeps its own copy of these
 * tables, as it would code them from the vendor's guide.
 */

/** 121 General Requirement Order Request (an order, or with TransSubType 12102 its cancellation); 1122 requirement status. */
export const TRANS_TYPE = { ORDER: '121', STATUS: '1122' } as const;
export const TRANS_TYPE_NAMES: Record<string, string> = {
  '121': 'General Requirement Order Request',
  '1122': 'Requirement Status',
};
/** TransSubType of a 121 that cancels the order it names. */
export const TRANS_SUB_TYPE_CANCEL = '12102';

export const RESULT_CODE = { SUCCESS: '1', FAILURE: '5' } as const;
export const RESULT_CODE_NAMES: Record<string, string> = { '1': 'Success', '5': 'Failure' };
/** ResultInfoCode: 200 data error (one per problem), 300 object not found, 400 unsupported transaction. */
export const RESULT_INFO = { DATA_ERROR: '200', NOT_FOUND: '300', UNSUPPORTED: '400' } as const;

/** ReqCode: CHARTWELL retrieves attending physician statements only. */
export const REQ_CODE_APS = '1';
export const REQ_CODE_APS_NAME = 'Attending Physician Statement';

/** RelationRoleCode of the parties an order names. */
export const RELATION_ROLE = { INSURED: '32', PHYSICIAN: '49' } as const;
export const GENDER = { MALE: '1', FEMALE: '2' } as const;

export const CHARTWELL_STAGES = [
  'ORDERED',
  'AUTHORIZATION_SENT',
  'REQUESTED_FROM_PROVIDER',
  'PROVIDER_FEE_PAID',
  'RECEIVED_BY_VENDOR',
  'SENT_TO_CARRIER',
  'CANCELLED',
] as const;
export type ChartwellStage = (typeof CHARTWELL_STAGES)[number];

/** ReqStatus tc of each stage: CHARTWELL's private codes. */
export const REQ_STATUS: Record<ChartwellStage, string> = {
  ORDERED: '1000700001',
  AUTHORIZATION_SENT: '1000700002',
  REQUESTED_FROM_PROVIDER: '1000700003',
  PROVIDER_FEE_PAID: '1000700004',
  RECEIVED_BY_VENDOR: '1000700005',
  SENT_TO_CARRIER: '1000700006',
  CANCELLED: '1000700007',
};
/** The names CHARTWELL writes beside each ReqStatus tc. */
export const REQ_STATUS_NAMES: Record<ChartwellStage, string> = {
  ORDERED: 'Ordered',
  AUTHORIZATION_SENT: 'Authorization Sent',
  REQUESTED_FROM_PROVIDER: 'Requested From Provider',
  PROVIDER_FEE_PAID: 'Provider Fee Paid',
  RECEIVED_BY_VENDOR: 'Received By Vendor',
  SENT_TO_CARRIER: 'Sent To Carrier',
  CANCELLED: 'Cancelled',
};

/** The stage of a ReqStatus tc, or undefined for a code this guide does not list. */
export function stageOfReqStatus(code: string | undefined): ChartwellStage | undefined {
  return CHARTWELL_STAGES.find((stage) => REQ_STATUS[stage] === code);
}
