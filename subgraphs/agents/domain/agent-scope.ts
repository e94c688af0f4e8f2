/**
 * Who may see which agents: an agent sees themself and everyone below them in the hierarchy; staff,
 * admins and services see every agent. Pure: loading the downline is the caller's work.
 */

/** The agent ids a caller may see; null means every agent. */
export type AgentScope = ReadonlySet<string> | null;

/** How far down the hierarchy a scope reaches: deeper than any real BGA hierarchy, and a bound should upline links ever form a loop. */
export const MAX_HIERARCHY_DEPTH = 20;

/** The agent whose downline bounds what this caller sees; null when the caller sees every agent. */
export function scopeRoot(caller: { role: string; agentId?: string }): string | null {
  return caller.role === 'AGENT' ? caller.agentId! : null;
}

/** True when the scope lets the caller see this agent. */
export function inScope(scope: AgentScope, agentId: string): boolean {
  return scope === null || scope.has(agentId);
}
