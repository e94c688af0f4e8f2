/**
 * A submission's writing agents: checked before anything is written (ids, splits summing to 100,
 * no agent twice, the case's agent among them, every co-writer known to the agents subgraph), each
 * problem a BAD_USER_INPUT reason naming its field; written in the case's transaction. Without
 * writing agents the case's agent writes it at 100%.
 */
import { isId } from '../../../platform/ids';
import { FULL_SPLIT, type WritingShare, writingShareProblems } from '../domain/commissions';
import type { AgentsPort } from '../ports/agents.port';
import type { WritingAgentInput } from './writing-agent.type';

/** The submission's writing agents as shares, and what is wrong with them (reasons naming the field). */
export function checkWritingAgents(
  input: readonly WritingAgentInput[] | null | undefined,
  caseAgentId: string,
): { shares: WritingShare[]; reasons: string[]; coWriters: string[] } {
  if (input == null) return { shares: [{ agentId: caseAgentId, splitBasisPoints: FULL_SPLIT }], reasons: [], coWriters: [] };
  const badIds = input.flatMap((writer, i) =>
    isId('agent', writer.agentId) ? [] : [`writingAgents[${i}].agentId is not a valid agent id (expected agt_...)`],
  );
  const { shares, reasons } = writingShareProblems(input, caseAgentId);
  const coWriters = [...new Set(input.map((writer) => writer.agentId))].filter((id) => id !== caseAgentId && isId('agent', id));
  return { shares, reasons: [...badIds, ...reasons], coWriters };
}

/** Reasons for the co-writers the agents subgraph does not know (asked in one call; none asked without co-writers). */
export async function unknownWritingAgents(
  agents: Pick<AgentsPort, 'knownAgents'>,
  input: readonly WritingAgentInput[] | null | undefined,
  coWriters: readonly string[],
  requestId?: string,
): Promise<string[]> {
  if (!input || !coWriters.length) return [];
  const known = await agents.knownAgents(coWriters, requestId);
  return input.flatMap((writer, i) =>
    coWriters.includes(writer.agentId) && !known.has(writer.agentId) ? [`writingAgents[${i}].agentId is not a known agent`] : [],
  );
}
