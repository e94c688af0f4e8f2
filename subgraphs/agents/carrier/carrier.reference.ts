/** Carrier as the gateway hands it here for its contracting data: the id is all this subgraph needs. */
export const carrierReference = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
};
