import type { CaseRepresentation } from './case.type';

/** The cases subgraph owns Case: the representation (key + @requires fields) is all carrierStatus needs. */
export const caseReference = {
  __resolveReference: (reference: CaseRepresentation) => reference,
};
