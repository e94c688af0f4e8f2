import { join } from 'node:path';
import type { RequirementCode } from '../../../shared/enums';
import { readOperations, type SubgraphClient } from '../../../shared/subgraph-client';
import type {
  ApplicationCatalog,
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
export const CARRIERS_OPERATIONS = ['Price', 'SendApplication', 'CaseSnapshots', 'RequestChange', 'ApplicationCatalog'] as const;

/** How long this process keeps a carrier's application rules: catalog data, changed by an operator, not per request. */
const CATALOG_TTL_MS = 60_000;

/** Outcomes of compareQuotes that say the carrier could not answer now, rather than that the product does not fit. */
const CARRIER_DOWN = ['TIMEOUT', 'ERROR', 'CIRCUIT_OPEN'];

interface Comparison {
  quotes: {
    product: { id: string; type: string };
    annualPremium: string;
    modalPremium: string;
    expectedRequirements: RequirementCode[];
    acceleratedUnderwriting: boolean;
  }[];
  outcomes: { status: string; message: string | null }[];
}

/** CarriersPort over GraphQL on the carriers subgraph. */
export class CarriersGraphqlAdapter implements CarriersPort {
  // Beside this module in the source tree, and copied beside the compiled one by the build (swc --copy-files).
  private readonly operations = readOperations(join(__dirname, 'carriers.graphql'), CARRIERS_OPERATIONS);

  /** Application catalogs by carrier and product, kept CATALOG_TTL_MS: every read of a draft checks its good order. */
  private readonly catalogs = new Map<string, { at: number; catalog: Promise<ApplicationCatalog | null> }>();

  constructor(private readonly client: SubgraphClient) {}

  applicationCatalog(carrierId: string, productId: string): Promise<ApplicationCatalog | null> {
    const key = `${carrierId}:${productId}`;
    const kept = this.catalogs.get(key);
    if (kept && Date.now() - kept.at < CATALOG_TTL_MS) return kept.catalog;
    const catalog = this.client
      .request<{ applicationCatalog: string | null }>(this.operations.ApplicationCatalog, { carrierId, productId })
      .then(({ applicationCatalog }) => (applicationCatalog === null ? null : (JSON.parse(applicationCatalog) as ApplicationCatalog)));
    // A failed ask is not kept: the next read asks again.
    catalog.catch(() => this.catalogs.delete(key));
    if (this.catalogs.size > 1_000) this.catalogs.clear();
    this.catalogs.set(key, { at: Date.now(), catalog });
    return catalog;
  }

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
          ...(request.flatExtraPerThousand
            ? { flatExtraPerThousand: request.flatExtraPerThousand, flatExtraYears: request.flatExtraYears ?? null }
            : {}),
          carrierIds: [request.carrierId],
        },
      },
      requestId,
    );
    const quote = compareQuotes.quotes.find((q) => q.product.id === request.productId);
    if (quote)
      return {
        priced: true,
        productType: quote.product.type,
        annualPremium: quote.annualPremium,
        modalPremium: quote.modalPremium,
        expectedRequirements: quote.expectedRequirements,
        acceleratedUnderwriting: quote.acceleratedUnderwriting,
      };
    // One carrier asked: one outcome.
    const outcome = compareQuotes.outcomes[0];
    return {
      priced: false,
      carrierDown: outcome !== undefined && CARRIER_DOWN.includes(outcome.status),
      carrierStatus: outcome?.status ?? null,
      message: outcome?.message ?? null,
    };
  }

  async sendApplication(carrierApplication: CarrierApplication): Promise<SendResult> {
    const { application, attachments, ...basics } = carrierApplication;
    // The full application crosses as one JSON string (CarrierApplicationInput.fullApplication): internal, SERVICE only.
    const input = application ? { ...basics, fullApplication: JSON.stringify({ application, attachments: attachments ?? [] }) } : basics;
    return (await this.client.request<{ submitApplicationToCarrier: SendResult }>(this.operations.SendApplication, { input }))
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
