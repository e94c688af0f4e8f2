import type { BaseSubgraphContext } from '../shared/context';
import type { CarrierLoaders } from './carrier.loader';
import type { CarriersRuntime } from './carriers.runtime';
import type { CaseStatusLoader } from './case/case-status.loader';
import type { QuoteBatcher } from './quote-batch.loader';

/** What every resolver of the carriers subgraph gets: the base context, this request's loaders, the process's runtime. */
export interface CarriersContext extends BaseSubgraphContext {
  loaders: CarrierLoaders;
  /** Process-wide: configuration, one adapter and one policy per carrier. */
  runtime: CarriersRuntime;
  /** Per request: Case.carrierStatus batched per carrier. */
  caseStatus: CaseStatusLoader;
  /** Per request: quote requests to one carrier sent in one exchange where its protocol allows (a matrix's cells). */
  quoteBatches: QuoteBatcher;
}
