import type { BaseSubgraphContext } from '../shared/context';
import type { CaseLoaders } from './case.loader';
import type { AgentsPort } from './ports/agents.port';
import type { CarriersPort } from './ports/carriers.port';
import type { SignatureProvider } from './ports/signature-provider.port';

/** What every cases resolver gets: the base context, this request's loaders, and the ports to the other subgraphs. */
export interface CasesContext extends BaseSubgraphContext {
  loaders: CaseLoaders;
  agents: AgentsPort;
  carriers: CarriersPort;
  /** The e-signature provider (envelopes, their state, the signed PDF). */
  signatures: SignatureProvider;
  /** Asks the outbox worker to send now rather than at its next poll (no-op when it is off). */
  nudgeOutbox: () => void;
  /** The caller's visible agent ids, computed once per request (case.scope.ts). */
  scope?: Promise<ReadonlySet<string> | null>;
}
