import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayPlugin } from './gateway-plugin';

/** In production, GET /graphql in a browser gets no landing page (Apollo Server shows one by default). */
export function landingPage(production: boolean): GatewayPlugin {
  return production ? { apollo: [ApolloServerPluginLandingPageDisabled()] } : {};
}
