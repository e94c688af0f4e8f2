import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '../../../platform/scalars';
import { enumOf } from '../../shared/enums';
import { PageInfo } from '../../shared/pagination';
import { Carrier } from '../carrier/carrier.type';
import { STATEMENT_TRANSACTIONS } from './layouts';

export const CarrierStatementTransactionEnum = enumOf(STATEMENT_TRANSACTIONS);
registerEnumType(CarrierStatementTransactionEnum, {
  name: 'CarrierStatementTransaction',
  description: 'What a carrier statement line pays (or takes back).',
  valuesConfig: {
    FIRST_YEAR: { description: 'First-year commission on a placed policy.' },
    RENEWAL: { description: 'Renewal commission (policy years 2 and after).' },
    CHARGEBACK: { description: 'Commission taken back (policy not taken, or lapsed within the chargeback period): a negative amount.' },
    ADJUSTMENT: { description: "A correction by the carrier of an earlier line's amount." },
  },
});

export const CarrierStatementLineStatusEnum = enumOf(['MATCHED', 'MISMATCHED', 'UNMATCHED'] as const);
registerEnumType(CarrierStatementLineStatusEnum, {
  name: 'CarrierStatementLineStatus',
  description: 'How a booked statement line reconciled with the commissions expected.',
  valuesConfig: {
    MATCHED: { description: 'Matched to a policy, and the amount is the expected one (within one cent).' },
    MISMATCHED: { description: 'Matched to a policy, but the amount is not the expected one: listed for staff.' },
    UNMATCHED: { description: "No policy of this carrier has the line's policy number: listed for staff." },
  },
});

export const CarrierStatementExceptionKindEnum = enumOf(['UNMATCHED', 'MISMATCHED', 'DUPLICATE', 'INVALID'] as const);
registerEnumType(CarrierStatementExceptionKindEnum, {
  name: 'CarrierStatementExceptionKind',
  description: 'Why a statement line is listed for staff.',
  valuesConfig: {
    UNMATCHED: { description: "Booked, but no policy of this carrier has the line's policy number." },
    MISMATCHED: { description: 'Booked against its policy, but the amount received is not the amount expected.' },
    DUPLICATE: {
      description: 'Not booked: the same line (policy, transaction, period, amount) is already booked, in this file or an earlier one.',
    },
    INVALID: {
      description:
        'Not booked: the line cannot be read (a bad number, date, code or policy number, a wrong number of fields, a bad trailer).',
    },
  },
});

export const CarrierStatementSourceEnum = enumOf(['UPLOAD', 'WATCHED_FOLDER'] as const);
registerEnumType(CarrierStatementSourceEnum, {
  name: 'CarrierStatementSource',
  description: 'How a statement file came in.',
  valuesConfig: {
    UPLOAD: { description: 'Uploaded through uploadCarrierCommissionStatement.' },
    WATCHED_FOLDER: { description: 'Picked up from the watched folder (COMMISSION_STATEMENTS_DIR).' },
  },
});

export const CarrierStatementEncodingEnum = enumOf(['BASE64', 'TEXT'] as const);
registerEnumType(CarrierStatementEncodingEnum, {
  name: 'CarrierStatementEncoding',
  description: 'How the uploaded content is written in the request.',
  valuesConfig: {
    BASE64: { description: "The file's bytes in base64 (any encoding of the file itself; UTF-8 expected)." },
    TEXT: { description: "The file's text as is." },
  },
});

@InputType({ description: "A carrier's commission statement file to book." })
export class UploadCarrierCommissionStatementInput {
  @Field(() => ID, { description: 'The carrier that sent the file (car_...): its layouts are the ones recognised.' })
  carrierId!: string;

  @Field(() => String, { description: 'The file name, as recorded with the statement (its last path segment, at most 200 characters).' })
  fileName!: string;

  @Field(() => String, {
    description:
      'The content, written as `encoding` says; at most DOCUMENT_MAX_BYTES decoded (larger files go through the watched folder).',
  })
  content!: string;

  @Field(() => CarrierStatementEncodingEnum, { defaultValue: 'BASE64', description: 'How `content` is written (BASE64 by default).' })
  encoding!: 'BASE64' | 'TEXT';
}

@ObjectType({ description: "One line of a carrier's statement as booked (the insured's name on it is compared, never kept)." })
export class CarrierStatementLine {
  @Field(() => Int, { description: 'The line number in the file (1 is the header).' })
  lineNumber!: number;

  @Field(() => String, { description: 'The policy number as the carrier wrote it.' })
  policyNumber!: string;

  @Field(() => ID, { nullable: true, description: 'The case the line matched (by carrier and policy number); null when UNMATCHED.' })
  caseId!: string | null;

  @Field(() => CarrierStatementTransactionEnum, { description: 'What the line pays.' })
  transaction!: string;

  @Field(() => MoneyScalar, { description: 'The premium the commission is on.' })
  premium!: number;

  @Field(() => Int, { description: "The carrier's rate in basis points of premium (120% = 12000)." })
  rateBasisPoints!: number;

  @Field(() => MoneyScalar, { description: 'The amount the carrier paid (negative for a chargeback).' })
  amount!: number;

  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      'What was expected for the case and transaction (the sum of its commission lines, every level); null when UNMATCHED or none is computed.',
  })
  expectedAmount!: number | null;

  @Field(() => String, { description: 'The period paid, YYYY-MM.' })
  period!: string;

  @Field(() => CarrierStatementLineStatusEnum, { description: 'How the line reconciled.' })
  status!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether the insured's last name on the line is the case's (case and spaces aside); null when UNMATCHED.",
  })
  insuredNameMatches!: boolean | null;
}

@ObjectType({ description: 'A statement line listed for staff: unmatched, mismatched, duplicate or unreadable.' })
export class CarrierStatementException {
  @Field(() => ID, { description: 'Opaque id.' })
  id!: string;

  @Field(() => ID, { description: 'The statement it is on.' })
  statementId!: string;

  @Field(() => Carrier, { description: 'The carrier that sent the statement.' })
  carrier!: Carrier;

  @Field(() => Int, { description: 'The line number in the file.' })
  lineNumber!: number;

  @Field(() => CarrierStatementExceptionKindEnum, { description: 'Why it is listed.' })
  kind!: string;

  @Field(() => String, { nullable: true, description: 'The policy number on the line, when it could be read.' })
  policyNumber!: string | null;

  @Field(() => CarrierStatementTransactionEnum, { nullable: true, description: 'The transaction on the line, when it could be read.' })
  transaction!: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'What was expected (MISMATCHED).' })
  expectedAmount!: number | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'What the carrier paid on the line (not for INVALID).' })
  receivedAmount!: number | null;

  @Field(() => String, { description: 'What is wrong, naming columns, never personal data.' })
  message!: string;
}

@ObjectType({ description: "A carrier's commission statement file, booked once." })
export class CarrierCommissionStatement {
  @Field(() => ID, { description: 'Opaque id, prefixed stm_.' })
  id!: string;

  @Field(() => Carrier, { description: 'The carrier that sent it.' })
  carrier!: Carrier;

  @Field(() => String, { description: 'The file name as received.' })
  fileName!: string;

  @Field(() => String, { description: "The sha-256 of the file's bytes (hex): the same bytes again book nothing." })
  contentSha256!: string;

  @Field(() => String, { description: 'The carrier layout it was read in (e.g. SUMMIT_CSV_V2, FIXED_WIDTH_80).' })
  layout!: string;

  @Field(() => CarrierStatementSourceEnum, { description: 'How it came in.' })
  source!: string;

  @Field(() => DateTimeScalar, { description: 'When it was booked.' })
  bookedAt!: string;

  @Field(() => Int, { description: 'Records read after the header (booked, duplicate or invalid).' })
  lineCount!: number;

  @Field(() => Int, { description: 'Lines MATCHED.' })
  matchedCount!: number;

  @Field(() => Int, { description: 'Lines MISMATCHED.' })
  mismatchedCount!: number;

  @Field(() => Int, { description: 'Lines UNMATCHED.' })
  unmatchedCount!: number;

  @Field(() => Int, { description: 'Lines not booked as duplicates.' })
  duplicateCount!: number;

  @Field(() => Int, { description: 'Lines not booked as unreadable.' })
  invalidCount!: number;

  @Field(() => MoneyScalar, { description: 'The sum of the booked lines.' })
  receivedAmount!: number;
}

@ObjectType({ description: 'The answer to an upload.' })
export class UploadCarrierCommissionStatementPayload {
  @Field(() => CarrierCommissionStatement, { description: 'The statement booked (or, when alreadyBooked, the one booked the first time).' })
  statement!: CarrierCommissionStatement;

  @Field(() => Boolean, { description: 'True when the same bytes were booked before: nothing was booked now.' })
  alreadyBooked!: boolean;
}

@ObjectType({ description: 'A statement of a page.' })
export class CarrierCommissionStatementEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => CarrierCommissionStatement, { description: 'The statement.' })
  node!: CarrierCommissionStatement;
}

@ObjectType({ description: 'A page of carrier statements, newest first (Relay connection).' })
export class CarrierCommissionStatementConnection {
  @Field(() => [CarrierCommissionStatementEdge], { description: 'The statements of this page.' })
  edges!: CarrierCommissionStatementEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A statement line of a page.' })
export class CarrierStatementLineEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => CarrierStatementLine, { description: 'The line.' })
  node!: CarrierStatementLine;
}

@ObjectType({ description: "A page of a statement's lines, in file order (Relay connection)." })
export class CarrierStatementLineConnection {
  @Field(() => [CarrierStatementLineEdge], { description: 'The lines of this page.' })
  edges!: CarrierStatementLineEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A statement exception of a page.' })
export class CarrierStatementExceptionEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => CarrierStatementException, { description: 'The exception.' })
  node!: CarrierStatementException;
}

@ObjectType({ description: 'A page of statement exceptions, oldest first (Relay connection).' })
export class CarrierStatementExceptionConnection {
  @Field(() => [CarrierStatementExceptionEdge], { description: 'The exceptions of this page.' })
  edges!: CarrierStatementExceptionEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo!: PageInfo;
}
