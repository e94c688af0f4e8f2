import { inScope, scopeRoot } from '../agent-scope';

describe('agent scope rules', () => {
  it('bounds an agent by their own downline, and nobody else', () => {
    expect(scopeRoot({ role: 'AGENT', agentId: 'agt_1' })).toBe('agt_1');
    for (const role of ['STAFF', 'ADMIN', 'SERVICE']) expect(scopeRoot({ role })).toBeNull();
  });

  it('lets an unbounded scope see every agent and a bounded one only its members', () => {
    expect(inScope(null, 'agt_any')).toBe(true);
    const scope = new Set(['agt_1', 'agt_2']);
    expect(inScope(scope, 'agt_2')).toBe(true);
    expect(inScope(scope, 'agt_3')).toBe(false);
    expect(inScope(new Set(), 'agt_1')).toBe(false);
  });
});
