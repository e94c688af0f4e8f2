import { PersonalDataVault } from '../../platform/personal-data';
import { buildFederatedSchema } from '../shared/federation';
import { Db } from '../shared/db';
import { SubgraphClient } from '../shared/subgraph-client';
import type { Background, SubgraphModule } from '../shared/subgraph-server';
import {
  ApplicationBankAccountResolver,
  ApplicationBeneficiaryResolver,
  ApplicationInsuredResolver,
  ApplicationPartyResolver,
  ApplicationResolver,
} from './application.resolver';
import { applicationLoader, signedApplicationAttachments } from './application-loader';
import { applySignatureToApplication } from './application-signing.service';
import { AgentCasesResolver } from './agent/agent-cases.resolver';
import { CaseChangeResolver } from './case-change.resolver';
import { CaseChangeWorker } from './case-change.worker';
import { agentReferences } from './agent/agent.reference';
import { CaseMetricsResolver } from './case-metrics.resolver';
import { CaseMetricsV2Resolver } from './case-metrics-v2.resolver';
import { caseExportRoute, EXPORT_PATH } from './case-export.route';
import { CaseWritingAgentsResolver, CommissionLineResolver, CommissionResolver } from './commissions/commission.resolver';
import { CommissionWorker } from './commissions/commission.worker';
import { createSyncWorker } from './case-sync.worker';
import { createCaseLoaders } from './case.loader';
import { caseReferences } from './case.reference';
import { CaseResolver } from './case.resolver';
import { readCasesConfig } from './cases.config';
import { caseEventRelay } from './case-event.relay';
import type { CasesContext } from './cases.context';
import { casesMigrations } from './cases.migrations';
import { documentDownloadRoute } from './document.route';
import { DocumentResolver } from './document.resolver';
import { DOCUMENTS_PATH, DocumentUrls } from './document-url';
import { ESIGN_WEBHOOK_PATH, esignWebhookRoute } from './esign-webhook.route';
import { FollowUpWorker } from './follow-up.worker';
import { refreshFromVendor } from './vendor-event.service';
import { CARRIER_PUSH_PATH, carrierPushRoute, readCarrierPushConfig } from './carrier-push.route';
import { OutboxWorker } from './outbox.worker';
import { PersonalDataAccessResolver } from './personal-data-access.resolver';
import { AgentsGraphqlAdapter } from './ports/graphql/agents.adapter';
import { createDocumentStore } from './ports/documents/document-store.factory';
import { CarriersGraphqlAdapter } from './ports/graphql/carriers.adapter';
import { EsignAdapter } from './ports/esign/esign.adapter';
import { RequirementResolver } from './requirement.resolver';
import { CaseManagerResolver } from './case-manager.resolver';
import { RequirementFollowUpResolver } from './requirement-follow-up.resolver';
import { RequirementMetricsResolver } from './requirement-metrics.resolver';
import { RequirementWorklistResolver } from './requirement-worklist.resolver';
import { RequirementVendorResolver } from './requirement-vendor.resolver';
import { ChartwellAdapter } from './ports/vendors/chartwell.adapter';
import { PulseAdapter } from './ports/vendors/pulse.adapter';
import { VendorOrderWorker } from './vendor-order.worker';
import { CarrierStatementLineResolver, CarrierStatementResolver } from './statements/statement.resolver';
import { readStatementFolderConfig, StatementFolderWorker } from './statements/statement-folder.worker';
import { VendorPollWorker } from './vendor-poll.worker';
import { vendorWebhookPath, vendorWebhookRoute } from './vendor-webhook.route';
import { readWebhookConfig } from './webhooks/webhook.config';
import { WebhookResolver } from './webhooks/webhook.resolver';
import { WebhookWorker } from './webhooks/webhook.worker';

const buildSchema = () =>
  buildFederatedSchema(
    {
      resolvers: [
        CaseResolver,
        CaseChangeResolver,
        RequirementResolver,
        RequirementVendorResolver,
        AgentCasesResolver,
        CaseMetricsResolver,
        CaseMetricsV2Resolver,
        PersonalDataAccessResolver,
        ApplicationResolver,
        ApplicationInsuredResolver,
        ApplicationPartyResolver,
        ApplicationBeneficiaryResolver,
        ApplicationBankAccountResolver,
        DocumentResolver,
        CaseManagerResolver,
        RequirementFollowUpResolver,
        RequirementWorklistResolver,
        RequirementMetricsResolver,
        CaseWritingAgentsResolver,
        CommissionLineResolver,
        CommissionResolver,
        CarrierStatementResolver,
        CarrierStatementLineResolver,
        WebhookResolver,
      ],
    },
    { ...caseReferences, ...agentReferences },
  );

/** The cases subgraph: cases, requirements, history, documents, Agent.cases, metrics, the personal data access log, and the outbox to carriers. */
export const casesSubgraph: SubgraphModule = {
  name: 'cases',
  migrations: casesMigrations,
  buildSchema,
  async create({ config: common, env, pool, cache, logger }) {
    const config = readCasesConfig(env);
    // Refuses to start in production without PERSONAL_DATA_KEYS: the development key is public.
    const vault = PersonalDataVault.fromEnv(env);
    // The other subgraphs, each on its own URL, asked as SERVICE through the ports.
    const client = (target: string, url: string) =>
      new SubgraphClient({ service: 'cases', target, url, identitySecret: common.identitySecret });
    const agents = new AgentsGraphqlAdapter(client('agents', config.agentsSubgraphUrl));
    const carriers = new CarriersGraphqlAdapter(client('carriers', config.carriersSubgraphUrl));
    // Documents: content in the configured store, downloads by signed URL on this subgraph's own route.
    const store = createDocumentStore(config.documents, pool);
    const documents = {
      store,
      urls: new DocumentUrls(config.documents.urlSecret, config.documents.urlTtlSeconds, config.documents.publicUrl),
      maxBytes: config.documents.maxBytes,
    };
    const signatures = new EsignAdapter({ baseUrl: config.esign.url, apiKey: config.esign.apiKey });
    // The provider's signed webhook: each verified event updates its envelope once.
    const esignWebhook = esignWebhookRoute({
      db: new Db(pool),
      secret: config.esign.webhookSecret,
      toleranceSeconds: config.esign.webhookToleranceSeconds,
      logger: logger.child({ route: ESIGN_WEBHOOK_PATH }),
      // Every signer signed: the application is SIGNED, in the event's transaction.
      onSignatureEvent: applySignatureToApplication,
    });
    // Applications go out through the outbox worker (polling, and nudged after each submission);
    // the sync worker pulls carrier status for open cases.
    const outbox = config.outboxPollMs
      ? new OutboxWorker({
          pool,
          cache,
          logger,
          agents,
          carriers,
          pollMs: config.outboxPollMs,
          loadApplication: applicationLoader(vault, signedApplicationAttachments(store)),
        })
      : undefined;
    // Case changes go out through their own leased worker, on the outbox's schedule.
    const changes = config.outboxPollMs ? new CaseChangeWorker({ pool, logger, carriers, vault, pollMs: config.outboxPollMs }) : undefined;
    const sync = config.syncIntervalMs ? createSyncWorker({ pool, cache, logger, carriers, intervalMs: config.syncIntervalMs }) : undefined;
    // Requirement vendors: orders (and cancels) go out through their leased worker on the outbox's
    // schedule; each vendor's signed webhook moves its orders' stages.
    const { vendors: vendorsConfig } = config;
    const vendorSettings = (endpoint: typeof vendorsConfig.pulse) => ({
      baseUrl: endpoint.url,
      apiKey: endpoint.apiKey,
      webhookSecret: endpoint.webhookSecret,
      webhookToleranceSeconds: vendorsConfig.webhookToleranceSeconds,
    });
    const vendors = {
      PULSE: new PulseAdapter(vendorSettings(vendorsConfig.pulse)),
      CHARTWELL: new ChartwellAdapter(vendorSettings(vendorsConfig.chartwell)),
    };
    const vendorOrders = config.outboxPollMs
      ? new VendorOrderWorker({
          pool,
          logger,
          vendors,
          vault,
          carriers,
          callbackUrl: (vendor) => `${vendorsConfig.callbackBaseUrl}${vendorWebhookPath(vendor)}`,
          pollMs: config.outboxPollMs,
        })
      : undefined;
    // Lost webhooks: outstanding orders with no news for a while are asked about (refreshFromVendor).
    const vendorPoll = vendorsConfig.pollIntervalMs
      ? new VendorPollWorker({
          pool,
          logger,
          vendors,
          intervalMs: vendorsConfig.pollIntervalMs,
          staleSeconds: vendorsConfig.pollStaleSeconds,
        })
      : undefined;
    const vendorRoutes = Object.fromEntries(
      Object.values(vendors).map((vendor) => [
        vendorWebhookPath(vendor.code),
        vendorWebhookRoute({ db: new Db(pool), vendor, logger: logger.child({ route: vendorWebhookPath(vendor.code) }) }),
      ]),
    );
    // Follow-ups of outstanding requirements: events, escalations, overdue days; asks the vendor for
    // news through refreshFromVendor (vendor-event.service.ts) after each follow-up commits.
    const followUps = config.followUpIntervalMs
      ? new FollowUpWorker({
          pool,
          cache,
          logger,
          intervalMs: config.followUpIntervalMs,
          refreshFromVendor: async (requirementId) => {
            await refreshFromVendor({ db: new Db(pool), vendors, logger }, requirementId);
          },
        })
      : undefined;
    // Expected commissions of placed cases, and chargebacks of those not taken, booked outside the status moves.
    const commissions = config.commissionIntervalMs
      ? new CommissionWorker({ pool, logger, agents, intervalMs: config.commissionIntervalMs })
      : undefined;
    // Carrier commission statements dropped into the watched folder (COMMISSION_STATEMENTS_DIR).
    const folder = readStatementFolderConfig(env);
    const statementFolder =
      folder.dir && folder.pollMs
        ? new StatementFolderWorker({
            pool,
            logger,
            dir: folder.dir,
            intervalMs: folder.pollMs,
            leaseMs: folder.leaseMs,
            settleMs: folder.settleMs,
          })
        : undefined;
    // Case and requirement events to webhook subscribers, from each one's cursor over the case history.
    const webhookConfig = readWebhookConfig(env);
    const webhooks = webhookConfig.pollMs ? new WebhookWorker({ pool, logger, vault, config: webhookConfig }) : undefined;
    // Committed case events to the gateways' subscriptions (Redis Stream, or this process's memory).
    const relay = caseEventRelay({ pool, cache, env, logger });
    const workers = [outbox, changes, sync, vendorOrders, vendorPoll, followUps, commissions, statementFolder, webhooks, relay].filter(
      (worker) => worker !== undefined,
    );
    const background: Background = {
      start: () => {
        for (const worker of workers) worker.start();
      },
      stop: async () => {
        await Promise.all(workers.map((worker) => worker.stop()));
        store.destroy?.();
      },
    };
    return {
      schema: await buildSchema(),
      background,
      routes: {
        [DOCUMENTS_PATH]: documentDownloadRoute({ pool, store, urls: documents.urls, logger }),
        [ESIGN_WEBHOOK_PATH]: esignWebhook,
        // CSV exports for a signed-in caller (the gateway forwards them with the signed identity).
        [EXPORT_PATH]: caseExportRoute({
          pool,
          cache,
          agents,
          identitySecret: common.identitySecret,
          identityMaxSkewMs: common.identityMaxSkewMs,
          maxRows: config.exportMaxRows,
          batchRows: config.exportBatchRows,
          logger: logger.child({ route: EXPORT_PATH }),
        }),
        ...vendorRoutes,
        // Carriers' signed status pushes: applied like a sync, within seconds.
        [CARRIER_PUSH_PATH]: carrierPushRoute({
          ...readCarrierPushConfig(env),
          db: new Db(pool),
          cache,
          carriers,
          logger: logger.child({ route: CARRIER_PUSH_PATH }),
        }),
      },
      // An upload's base64 is 4/3 of the document, plus the rest of the request.
      maxBodyBytes: Math.ceil((config.documents.maxBytes * 4) / 3) + 64 * 1024,
      context: (base): CasesContext => ({
        ...base,
        loaders: createCaseLoaders(base.db),
        agents,
        carriers,
        vault,
        signatures,
        esignCallbackUrl: config.esign.callbackUrl,
        nudgeOutbox: () => outbox?.nudge(),
        nudgeChanges: () => changes?.nudge(),
        nudgeVendorOrders: () => vendorOrders?.nudge(),
        documents,
      }),
    };
  },
};
