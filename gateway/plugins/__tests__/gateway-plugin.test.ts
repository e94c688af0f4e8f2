import type { GraphqlAnswer, GraphqlHttpRequest } from '../../../platform/http';
import type { GatewayContext } from '../../gateway.context';
import { combinePlugins, type GatewayPlugin } from '../gateway-plugin';

const answer = (body: string): GraphqlAnswer => ({ status: 200, headers: [], body });
const request = {} as GraphqlHttpRequest<GatewayContext>;

describe('combining gateway plugins', () => {
  it("runs each phase's hooks in the list's order", async () => {
    const seen: string[] = [];
    const plugin = (name: string): GatewayPlugin => ({
      onRequest: () => void seen.push(`${name}:request`),
      onContext: async (_req, context) => void seen.push(`${name}:context:${context.requestId}`),
      around: async (_request, run) => {
        seen.push(`${name}:around`);
        const inner = await run();
        return answer(`${name}(${inner.body})`);
      },
      formatError: (formatted) => ({ ...formatted, message: `${formatted.message}>${name}` }),
    });
    const combined = combinePlugins([plugin('a'), {}, plugin('b')]);
    await combined.onRequest!({} as never);
    await combined.onContext({} as never, { requestId: 'r1' } as GatewayContext);
    const answered = await combined.around!(request, async () => answer('run'));
    expect(answered.body).toBe('a(b(run))');
    expect(combined.formatError({ message: 'm' }, undefined).message).toBe('m>a>b');
    expect(seen).toEqual(['a:request', 'b:request', 'a:context:r1', 'b:context:r1', 'a:around', 'b:around']);
  });

  it('calls a lone hook directly, and leaves out a phase no plugin has', () => {
    const onRequest = () => undefined;
    const around = async () => answer('x');
    const combined = combinePlugins([{ onRequest }, { around }]);
    expect(combined.onRequest).toBe(onRequest);
    expect(combined.around).toBe(around);
    expect(combinePlugins([{}]).around).toBeUndefined();
    expect(combinePlugins([{}]).onRequest).toBeUndefined();
  });

  it('gathers Apollo plugins, server options and routes, and refuses two owners of one', () => {
    const route = () => undefined;
    const combined = combinePlugins([
      { apollo: [{}], routes: { '/health': route } },
      { apollo: [{}, {}], server: { parseOptions: { maxTokens: 5 } } },
    ]);
    expect(combined.apollo).toHaveLength(3);
    expect(combined.server).toEqual({ parseOptions: { maxTokens: 5 } });
    expect(combined.routes).toEqual({ '/health': route });
    expect(() => combinePlugins([{ routes: { '/x': route } }, { routes: { '/x': route } }])).toThrow(/\/x/);
    expect(() => combinePlugins([{ server: { documentStore: null } }, { server: { documentStore: null } }])).toThrow(/documentStore/);
  });
});
