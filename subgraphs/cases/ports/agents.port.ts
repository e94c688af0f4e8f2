/**
 * What the cases subgraph needs of the agents subgraph, in the cases subgraph's terms. The adapter
 * (graphql/agents.adapter.ts) asks the agents subgraph itself as SERVICE; a client error of the
 * agents subgraph (BAD_USER_INPUT, NOT_FOUND) reaches the caller with its own code and message, an
 * outage is SERVICE_UNAVAILABLE.
 */
import type { CommissionChain } from '../domain/commissions';

export interface AgentsPort {
  /** The agent ids an agent may see: themself and their whole downline. */
  scope(agentId: string, requestId?: string): Promise<string[]>;
  /** May the agent write this carrier's business in this state, and how an application names them; null for an unknown agent. */
  eligibility(question: AppointmentKey, requestId?: string): Promise<AgentEligibility | null>;
  /**
   * Files the just-in-time appointment with the agents subgraph (idempotent there: asking again is
   * harmless); `applicationOn` (YYYY-MM-DD) starts its 15-day filing deadline.
   */
  requestAppointment(key: AppointmentKey, applicationOn?: string): Promise<void>;
  /** How an application names the agent at this carrier in this state; null for an unknown agent. */
  applicationAgent(key: AppointmentKey): Promise<ApplicationAgent | null>;
  /** The agent's name and email, for the signing ceremony (personal data: never logged); null for an unknown agent. */
  contact(agentId: string, requestId?: string): Promise<{ fullName: string; email: string } | null>;
  /** Which of these agent ids the agents subgraph knows (the rest are unknown). */
  knownAgents(agentIds: readonly string[], requestId?: string): Promise<Set<string>>;
  /**
   * Each writing agent's commission chain at a carrier and product as the hierarchy stood on `asOf`
   * (the internal commissionChains): the agent first, each upline, the BGA last. Rejects when the
   * agents subgraph refuses one (an agent with no contract with the carrier).
   */
  commissionChains(question: CommissionChainQuestion, requestId?: string): Promise<CommissionChain[]>;
}

/** Whose chains, at which carrier and product, on which day (the case's submission date). */
export interface CommissionChainQuestion {
  carrierId: string;
  productId: string;
  agentIds: readonly string[];
  asOf: string;
}

/** An agent at a carrier in a state (the insured's). */
export interface AppointmentKey {
  agentId: string;
  carrierId: string;
  state: string;
}

/** The agent as an application names them. */
export interface ApplicationAgent {
  npn: string;
  /** The carrier's producer id for the agent in the state, when appointed there (none while the appointment is requested). */
  writingNumber: string | null;
}

export interface AgentEligibility extends ApplicationAgent {
  eligible: boolean;
  /** Every rule not met (EligibilityReason codes); empty when eligible. */
  reasons: string[];
  /** Eligible in a just-in-time state with no live appointment: submitting the case requests one. */
  appointmentWillBeRequested: boolean;
}
