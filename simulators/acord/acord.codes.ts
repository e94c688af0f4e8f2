/**
 * The ACORD code lists the simulated ACORD carriers publish in their implementation guide: the
 * `tc` values of docs/domain.md ("Carrier protocols") plus the requirement codes and a few private codes
 * (ACORD reserves tc values from 1,000,000,000 up for a carrier's own use). The adapter's mapper
 * holds its own copy of these tables, as a BGA would code them from the carrier's guide.
 */
import type { HealthClassCode, PaymentModeCode, ProductTypeCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import type { SimCaseStatus, SimRequirementCode, SimRequirementStatus } from '../carrier-store';

export const TRANS_TYPE = {
  QUOTE: '111',
  NEW_BUSINESS: '103',
  HOLDING_INQUIRY: '203',
  // This guide's producer contracting transactions (acord.appointments.ts).
  APPOINTMENT_REQUEST: '1201',
  APPOINTMENT_INQUIRY: '1202',
} as const;
export const TRANS_TYPE_NAMES: Record<string, string> = {
  '111': 'Illustration Calculation',
  '103': 'New Business Submission',
  '203': 'Holding Inquiry',
  '1201': 'Producer Appointment Request',
  '1202': 'Producer Appointment Inquiry',
};

export const RESULT_CODE = { SUCCESS: '1', SUCCESS_WITH_INFO: '2', FAILURE: '5' } as const;
export const RESULT_CODE_NAMES: Record<string, string> = { '1': 'Success', '2': 'Success With Information', '5': 'Failure' };
/** ResultInfoCode: 100 information, 200 data error, 300 object not found, 400 unsupported transaction. */
export const RESULT_INFO = { INFORMATION: '100', DATA_ERROR: '200', NOT_FOUND: '300', UNSUPPORTED: '400' } as const;

/** PolicyStatus tc; REINSURANCE_REVIEW is this carrier's private code. 12 (proposed) answers illustrations. */
export const POLICY_STATUS: Record<SimCaseStatus, string> = {
  SUBMITTED: '21',
  IN_UNDERWRITING: '54',
  REQUIREMENTS_OUTSTANDING: '8',
  APPROVED: '24',
  APPROVED_OTHER_THAN_APPLIED: '26',
  ISSUED: '25',
  DELIVERY_REQUIREMENTS: '44',
  PLACED: '1',
  DECLINED: '27',
  POSTPONED: '29',
  WITHDRAWN: '60',
  INCOMPLETE: '23',
  NOT_TAKEN: '7',
  REINSURANCE_REVIEW: '1000500003',
};
export const POLICY_STATUS_PROPOSED = '12';

export const UNDERWRITING_CLASS: Record<HealthClassCode, string> = {
  PREFERRED_PLUS: '19',
  PREFERRED: '2',
  STANDARD_PLUS: '6',
  STANDARD: '1',
};
/** 3: rated (substandard), Standard with the PermTableRating beside it; a temporary flat extra travels as TempFlatExtraAmt/TempFlatExtraDuration. */
export const UNDERWRITING_CLASS_RATED = '3';

/** ReqCode tc as this guide numbers them; EKG and the last two are private codes. */
export const REQ_CODE: Record<SimRequirementCode, string> = {
  APS: '1',
  PARAMED_EXAM: '3',
  BLOOD_URINE: '5',
  MIB: '9',
  MVR: '11',
  INSPECTION_REPORT: '12',
  PHONE_INTERVIEW: '16',
  SIGNED_ILLUSTRATION: '39',
  DELIVERY_RECEIPT: '43',
  AMENDMENT: '44',
  GOOD_HEALTH_STATEMENT: '52',
  HIPAA_AUTHORIZATION: '84',
  RX_CHECK: '181',
  EKG: '1000500031',
  FINANCIAL_QUESTIONNAIRE: '1000500017',
  REPLACEMENT_FORM: '1000500021',
};

export const REQ_STATUS: Record<SimRequirementStatus, string> = { ORDERED: '2', RECEIVED: '4', WAIVED: '5', CANCELLED: '7' };

export const PAYMENT_MODE: Record<PaymentModeCode, string> = { ANNUAL: '1', SEMI_ANNUAL: '2', QUARTERLY: '3', MONTHLY: '4' };
export const GENDER = { MALE: '1', FEMALE: '2' } as const;
/** Smoker status: 1 never, 2 prior (rated as non-tobacco), 3 current. */
export const SMOKER_STATUS = { NEVER: '1', PRIOR: '2', CURRENT: '3' } as const;
export const RELATION_ROLE = {
  INSURED: '32',
  OWNER: '8',
  PAYOR: '31',
  PRIMARY_BENEFICIARY: '34',
  CONTINGENT_BENEFICIARY: '36',
  WRITING_AGENT: '37',
} as const;
/** SignatureRoleCode: the signer's RelationRoleCode. */
export const SIGNATURE_ROLE = { INSURED: '32', OWNER: '8', PAYOR: '31', AGENT: '37' } as const;
/** GovtIDTC: 1 SSN (or ITIN), 2 TIN. */
export const GOVT_ID = { SSN: '1', TIN: '2' } as const;
/** PartyTypeCode: 1 person, 2 organization. */
export const PARTY_TYPE = { PERSON: '1', ORGANIZATION: '2' } as const;
/** PaymentMethod tc 7: electronic funds transfer. */
export const PAYMENT_METHOD_EFT = '7';
/** AttachmentType tc of the signed application. */
export const ATTACHMENT_TYPE_SIGNED_APPLICATION = '30';
/** OLI_BOOL: 1 true, 0 false. */
export const TRUE = '1';

export const PRODUCT_TYPE: Record<ProductTypeCode, string> = {
  WHOLE_LIFE: '1',
  TERM: '2',
  UNIVERSAL_LIFE: '3',
  INDEXED_UNIVERSAL_LIFE: '4',
  FINAL_EXPENSE: '9',
};
/** Coverage/IndicatorCode: the base coverage and its riders. */
export const COVERAGE_INDICATOR = { BASE: '1', RIDER: '2' } as const;
/** A rider's Coverage/LifeCovTypeCode in this implementation guide. */
export const RIDER_COV_TYPE: Record<string, string> = {
  WAIVER_OF_PREMIUM: '9',
  ACCIDENTAL_DEATH: '5',
  CHILD_TERM: '26',
  RETURN_OF_PREMIUM: '40',
};
/** Coverage/PremiumPayingPeriod of a whole life: for life, 10 or 20 years, or to age 65. */
export const PAY_PERIOD: Record<string, string> = { LIFE: 'L', TEN_PAY: '10', TWENTY_PAY: '20', TO_AGE_65: 'A65' };
/** Coverage/BenefitPlanType tc of a final expense policy. */
export const BENEFIT_PLAN: Record<string, string> = { LEVEL: '1', GRADED: '2', MODIFIED: '3', GUARANTEED_ISSUE: '4' };

/** 1 fully underwritten, 2 simplified issue. */
export const UNDERWRITING_APPROACH = { FULL: '1', SIMPLIFIED: '2' } as const;

/** Reverse lookup of a code table: tc → our name. */
export function fromTc<K extends string>(table: Record<K, string>, tc: string | undefined): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === tc);
}

/**
 * A change to a pending application: a 103 on the existing holding (ApplicationInfo/TrackingID) with
 * this private TransSubType and one ChangeSubType/ChangeTC per kind of change (private codes of this
 * guide). A 103 without the sub-type is a new application.
 */
export const TRANS_SUB_TYPE_APPLICATION_CHANGE = '1000500103';
export const CHANGE_TC = {
  FACE_AMOUNT: '1000500201',
  PRODUCT: '1000500202',
  TERM: '1000500203',
  RIDERS: '1000500204',
  BENEFICIARIES: '1000500205',
  PAYMENT_MODE: '1000500206',
  OWNER: '1000500207',
} as const;
