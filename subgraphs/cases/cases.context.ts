import type DataLoader from 'dataloader';
import type { PersonalDataVault } from '../../platform/personal-data';
import type { BaseSubgraphContext } from '../shared/context';
import type { PersonalDataAccessEntry } from './personal-data-access.repository';
import type { CaseLoaders } from './case.loader';
import type { AgentsPort } from './ports/agents.port';
import type { CarriersPort } from './ports/carriers.port';
import type { DocumentStore } from './ports/document-store.port';
import type { DocumentUrls } from './document-url';
import type { SignatureProvider } from './ports/signature-provider.port';

/** What every cases resolver gets: the base context, this request's loaders, and the ports to the other subgraphs. */
export interface CasesContext extends BaseSubgraphContext {
  loaders: CaseLoaders;
  agents: AgentsPort;
  carriers: CarriersPort;
  /** The e-signature provider (envelopes, their state, the signed PDF). */
  signatures: SignatureProvider;
  /** Where the provider calls our webhook back (ESIGN_CALLBACK_URL): given with every envelope. */
  esignCallbackUrl: string;
  /** Asks the outbox worker to send now rather than at its next poll (no-op when it is off). */
  nudgeOutbox: () => void;
  /** Asks the case-change worker to send now rather than at its next poll (no-op when it is off). */
  nudgeChanges: () => void;
  /** Asks the vendor order worker to send (or cancel) now rather than at its next poll (no-op when it is off). */
  nudgeVendorOrders: () => void;
  /** Seals and opens personal data at rest: applications' parties, identifiers and answers, case changes' beneficiaries and owners (made once from PERSONAL_DATA_KEYS / PERSONAL_DATA_ACTIVE_KEY). */
  vault: PersonalDataVault;
  /** Documents: where their content is kept, how download URLs are signed, the size limit. */
  documents: DocumentsDeps;
  /** The caller's visible agent ids, computed once per request (case.scope.ts). */
  scope?: Promise<ReadonlySet<string> | null>;
  /** This request's full reads of personal data, written to the access log in one statement (personal-data.service.ts). */
  accessLog?: DataLoader<PersonalDataAccessEntry, void>;
  /** Applications opened in this request, by id and version: a draft is unsealed once per request. */
  openedApplications?: Map<string, unknown>;
}

/** What document resolvers need, made once at start. */
export interface DocumentsDeps {
  store: DocumentStore;
  urls: DocumentUrls;
  /** DOCUMENT_MAX_BYTES. */
  maxBytes: number;
}
