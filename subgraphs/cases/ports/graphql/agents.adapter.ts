import { join } from 'node:path';
import { readOperations, type SubgraphClient } from '../../../shared/subgraph-client';
import { LIVE_APPOINTMENT_STATUSES } from '../../../shared/vocabulary';
import type { CommissionChain } from '../../domain/commissions';
import type { AgentEligibility, AgentsPort, ApplicationAgent, AppointmentKey, CommissionChainQuestion } from '../agents.port';

const LIVE: ReadonlySet<string> = new Set(LIVE_APPOINTMENT_STATUSES);

/** The operations of agents.graphql, read once when the adapter is made. */
export const AGENTS_OPERATIONS = [
  'Scope',
  'Eligibility',
  'ApplicationAgent',
  'RequestAppointment',
  'AgentContact',
  'KnownAgents',
  'CommissionChains',
] as const;

interface AgentAnswer {
  npn: string;
  appointments: { state: string; status: string; writingNumber: string | null; carrier: { id: string } | null }[];
}

/** The live appointment's writing number at this carrier in this state (a terminated one names no one). */
function applicationAgent(agent: AgentAnswer, key: AppointmentKey): ApplicationAgent {
  const appointment = agent.appointments.find((a) => a.carrier?.id === key.carrierId && a.state === key.state && LIVE.has(a.status));
  return { npn: agent.npn, writingNumber: appointment?.writingNumber ?? null };
}

/** AgentsPort over GraphQL on the agents subgraph. */
export class AgentsGraphqlAdapter implements AgentsPort {
  // Beside this module in the source tree, and copied beside the compiled one by the build (swc --copy-files).
  private readonly operations = readOperations(join(__dirname, 'agents.graphql'), AGENTS_OPERATIONS);

  constructor(private readonly client: SubgraphClient) {}

  async scope(agentId: string, requestId?: string): Promise<string[]> {
    return (await this.client.request<{ agentScope: string[] }>(this.operations.Scope, { agentId }, requestId)).agentScope;
  }

  async eligibility(key: AppointmentKey, requestId?: string): Promise<AgentEligibility | null> {
    const { agent } = await this.client.request<{
      agent: (AgentAnswer & { eligibility: Omit<AgentEligibility, keyof ApplicationAgent> }) | null;
    }>(this.operations.Eligibility, { ...key }, requestId);
    return agent && { ...agent.eligibility, ...applicationAgent(agent, key) };
  }

  async requestAppointment(key: AppointmentKey, applicationOn?: string): Promise<void> {
    await this.client.request(this.operations.RequestAppointment, { ...key, applicationOn: applicationOn ?? null });
  }

  async contact(agentId: string, requestId?: string): Promise<{ fullName: string; email: string } | null> {
    const { agent } = await this.client.request<{ agent: { firstName: string; lastName: string; email: string } | null }>(
      this.operations.AgentContact,
      { agentId },
      requestId,
    );
    return agent && { fullName: `${agent.firstName} ${agent.lastName}`, email: agent.email };
  }

  async applicationAgent(key: AppointmentKey): Promise<ApplicationAgent | null> {
    const { agent } = await this.client.request<{ agent: AgentAnswer | null }>(this.operations.ApplicationAgent, { agentId: key.agentId });
    return agent && applicationAgent(agent, key);
  }

  async knownAgents(agentIds: readonly string[], requestId?: string): Promise<Set<string>> {
    if (!agentIds.length) return new Set();
    const { _entities } = await this.client.request<{ _entities: ({ id: string } | null)[] }>(
      this.operations.KnownAgents,
      { representations: agentIds.map((id) => ({ __typename: 'Agent', id })) },
      requestId,
    );
    return new Set(_entities.flatMap((agent) => (agent ? [agent.id] : [])));
  }

  async commissionChains(question: CommissionChainQuestion, requestId?: string): Promise<CommissionChain[]> {
    return (
      await this.client.request<{ commissionChains: CommissionChain[] }>(this.operations.CommissionChains, { ...question }, requestId)
    ).commissionChains;
  }
}
