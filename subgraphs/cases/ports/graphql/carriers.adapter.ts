import { join } from 'node:path';
import { readOperations, type SubgraphClient } from '../../../shared/subgraph-client';
import type {
  CarrierApplication,
  CarrierChangeRequest,
  CarrierSnapshot,
  CarriersPort,
  ChangeResult,
  Pricing,
  PricingRequest,
  SendResult,
} from '../carriers.port';

/** The operations of carriers.graphql, read once when the adapter is made. */
export const CARRIERS_OPERATIONS = ['Price', 'SendApplication', 'CaseSnapshots', 'RequestChange'] as const;

/** Outcomes of compareQuotes that say the carrier could not answer now, rather than that the product does not fit. */
const CARRIER_DOWN = ['TIMEOUT', 'ERROR', 'CIRCUIT_OPEN'];

interface Comparison {
  quotes: { product: { id: string; type: string }; annualPremium: string; modalPremium: string }[];
  outcomes: { status: string; message: string | null }[];
}

/** CarriersPort over GraphQL on the carriers subgraph. */
export class CarriersGraphqlAdapter implements CarriersPort {
  // Beside this module in the source tree, and copied beside the compiled one by the build (swc --copy-files).
  private readonly operations = readOperations(join(__dirname, 'carriers.graphql'), CARRIERS_OPERATIONS);

  constructor(private readonly client: SubgraphClient) {}

  async price(request: PricingRequest, requestId?: string): Promise<Pricing> {
    const { compareQuotes } = await this.client.request<{ compareQuotes: Comparison }>(
      this.operations.Price,
      {
        quote: {
          state: request.insured.state,
          birthDate: request.insured.birthDate,
          gender: request.insured.gender,
          tobacco: request.insured.tobacco,
          healthClass: request.healthClass,
          tableRating: request.tableRating,
          faceAmount: request.faceAmount,
          termYears: request.termYears,
          paymentMode: request.paymentMode,
          carrierIds: [request.carrierId],
        },
      },
      requestId,
    );
    const quote = compareQuotes.quotes.find((q) => q.product.id === request.productId);
    if (quote)
      return { priced: true, productType: quote.product.type, annualPremium: quote.annualPremium, modalPremium: quote.modalPremium };
    // One carrier asked: one outcome.
    const outcome = compareQuotes.outcomes[0];
    return {
      priced: false,
      carrierDown: outcome !== undefined && CARRIER_DOWN.includes(outcome.status),
      carrierStatus: outcome?.status ?? null,
      message: outcome?.message ?? null,
    };
  }

  async sendApplication(application: CarrierApplication): Promise<SendResult> {
    return (await this.client.request<{ submitApplicationToCarrier: SendResult }>(this.operations.SendApplication, { input: application }))
      .submitApplicationToCarrier;
  }

  async caseSnapshots(carrierId: string, carrierReferences: readonly string[]): Promise<CarrierSnapshot[]> {
    return (
      await this.client.request<{ carrierCaseSnapshots: CarrierSnapshot[] }>(this.operations.CaseSnapshots, {
        carrierId,
        carrierReferences,
      })
    ).carrierCaseSnapshots;
  }

  async requestChange(change: CarrierChangeRequest): Promise<ChangeResult> {
    return (await this.client.request<{ requestCarrierChange: ChangeResult }>(this.operations.RequestChange, { input: change }))
      .requestCarrierChange;
  }
}
