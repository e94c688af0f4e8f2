/**
 * The full application in the REST carriers' JSON (`application` and `documents` of POST
 * /v1/applications, their schema in simulators/rest/rest.simulator.ts): parties by role, each
 * beneficiary with its designation and share, the answers, the replaced policies, the signatures and
 * the signed application PDF in base64 with its SHA-256. Codes are the carriers' lower snake case.
 * Personal data goes to the carrier and nowhere else: nothing here logs.
 */
import {
  type Address,
  type Application,
  type Beneficiary,
  type CarrierAttachment,
  type EntityParty,
  isElectronicallySigned,
  type Owner,
  type Payor,
  type PersonParty,
} from '../../../shared/application';

const lower = (code: string | undefined) => code?.toLowerCase();

/** Drops undefined members, so the JSON carries only what the application says. */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const address = (value: Address | undefined) =>
  value && defined({ line1: value.line1, line2: value.line2, city: value.city, state: value.state, zip: value.zip });

function person(value: Omit<PersonParty, 'kind'>) {
  return defined({
    type: 'person',
    name: value.fullName,
    birthDate: value.birthDate,
    sex: value.gender === 'FEMALE' ? 'F' : value.gender === 'MALE' ? 'M' : undefined,
    ssn: value.ssn,
    address: address(value.address),
    phone: value.phone,
    email: value.email,
    driversLicense: value.driversLicense && defined({ number: value.driversLicense.number, state: value.driversLicense.state }),
    citizenship: lower(value.citizenship),
    heightInches: value.heightInches,
    weightPounds: value.weightPounds,
    relationship: lower(value.relationshipToInsured),
  });
}

const entity = (value: EntityParty) =>
  defined({
    type: lower(value.kind),
    name: value.name,
    tin: value.tin,
    establishedOn: value.establishedOn,
    address: address(value.address),
  });

function party(value: Owner | Payor) {
  if (value.kind === 'INSURED') return { sameAs: 'insured' };
  if (value.kind === 'OWNER') return { sameAs: 'owner' };
  if (value.kind === 'PERSON') return person(value);
  return entity(value);
}

function beneficiary(value: Beneficiary) {
  const kind = value.kind ?? 'PERSON';
  return defined({
    designation: lower(value.designation),
    type: lower(kind),
    name: value.fullName,
    relationship: lower(value.relationship),
    sharePercent: value.sharePercent,
    ...(kind === 'PERSON' ? { ssn: value.ssn, birthDate: value.birthDate } : { tin: value.ssn }),
  });
}

/** `application` and `documents` of the submission body. */
export function fullApplicationJson(application: Application, attachments: readonly CarrierAttachment[]) {
  const coverage = application.coverage ?? {};
  return {
    application: defined({
      stateOfApplication: application.state,
      insured: person(application.insured ?? {}),
      owner: party(application.owner ?? { kind: 'INSURED' }),
      payor: party(application.payor ?? { kind: 'OWNER' }),
      beneficiaries: (application.beneficiaries ?? []).map(beneficiary),
      riders: (coverage.riders ?? []).map((rider) => rider.toLowerCase()),
      paymentMethod: lower(coverage.paymentMethod),
      replacement: defined({
        existingCoverage: application.existingCoverage?.hasExisting,
        policies: (application.existingCoverage?.policies ?? []).map((policy) =>
          defined({
            carrierName: policy.carrierName,
            policyNumber: policy.policyNumber,
            faceAmount: policy.faceAmount,
            disposition: lower(policy.disposition),
          }),
        ),
      }),
      answers: Object.entries(application.answers ?? {}).map(([question, answer]) =>
        defined({ question, answer: answer.yes === undefined ? undefined : answer.yes ? 'yes' : 'no', details: answer.details }),
      ),
      phoneInterview: application.phoneInterview,
      hipaaAuthorization: application.hipaaAuthorized,
      financial: application.financial && { ...application.financial },
      agentReport: application.agentReport && { ...application.agentReport },
      signatures: (application.signatures ?? []).map((signature) =>
        defined({ signer: signature.role.toLowerCase(), signedOn: signature.signedOn, state: signature.state }),
      ),
      signatureMethod: isElectronicallySigned(application) ? 'electronic' : 'wet',
      forms: (application.forms ?? []).map((form) => defined({ code: form.code, formNumber: form.formNumber })),
    }),
    documents: attachments.map((document) => ({
      type: document.type.toLowerCase(),
      fileName: document.fileName,
      contentType: document.contentType,
      sha256: document.sha256,
      contentBase64: document.contentBase64,
    })),
  };
}
