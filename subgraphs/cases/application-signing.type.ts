/** The signing of an application in the public API: e-signature requests and their signers, and a paper application's signatures. */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { enumOf, register, State } from '../shared/enums';
import { SignerRole } from './application.type';
import { ENVELOPE_STATUSES, SIGNER_STATUSES } from './ports/signature-provider.port';

export const SignatureRequestStatus = register(
  enumOf(ENVELOPE_STATUSES),
  'SignatureRequestStatus',
  'Where an e-signature request stands.',
  {
    SENT: 'Out for signature: the signers have their links.',
    COMPLETED: 'Every signer signed: the application is SIGNED.',
    DECLINED: 'A signer declined: request signatures again after fixing what they objected to.',
    EXPIRED: 'Not every signer signed in time: request signatures again.',
    VOIDED: 'Withdrawn at the provider.',
  },
);

export const SignerStatus = register(enumOf(SIGNER_STATUSES), 'SignerStatus', "Where one signer's signature stands.", {
  PENDING: 'Not signed yet.',
  SIGNED: 'Signed.',
  DECLINED: 'Declined to sign.',
});

@ObjectType({ description: 'One signer of an e-signature request: who (by role), where they stand, and the audit trail.' })
export class SignatureRequestSigner {
  @Field(() => SignerRole, { description: 'Who signs.' })
  role!: string;
  @Field(() => SignerStatus, { description: 'Pending, signed or declined.' })
  status!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When they signed.' })
  signedAt?: string | null;
  @Field(() => String, { nullable: true, description: 'The address they signed from (audit trail).' })
  ip?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The signer's private signing link: only in requestSignatures' answer, to hand to that signer; never stored or shown again.",
  })
  signingUrl?: string | null;
}

@ObjectType({ description: 'An e-signature request (an envelope at the signature provider) for an application.' })
export class SignatureRequest {
  @Field(() => ID, { description: "The provider's envelope id." })
  envelopeId!: string;
  @Field(() => SignatureRequestStatus, { description: 'Where it stands.' })
  status!: string;
  @Field(() => [SignatureRequestSigner], { description: 'Each signer the application needs, in signing order.' })
  signers!: SignatureRequestSigner[];
  @Field(() => DateTimeScalar, { description: 'When it was sent.' })
  createdAt!: string;
}

@InputType({ description: 'One signature as written on a paper application.' })
export class PaperSignatureInput {
  @Field(() => SignerRole, { description: 'Who signed.' })
  role!: string;
  @Field(() => DateScalar, { description: 'The date written with the signature.' })
  signedOn!: string;
  @Field(() => State, { description: 'Where it was signed, as written on the application.' })
  state!: string;
}

@InputType({ description: "A paper application's signatures, and the signed scan that carries them." })
export class PaperSignaturesInput {
  @Field(() => ID, { description: 'The signed scan, uploaded as an APPLICATION_SCAN document of this application (doc_...).' })
  documentId!: string;
  @Field(() => [PaperSignatureInput], { description: 'Every signature on it.' })
  signatures!: PaperSignatureInput[];
}
