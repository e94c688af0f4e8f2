/**
 * The e-application as a draft: the types live in subgraphs/shared/application.ts, because the
 * carriers subgraph sends the same application to the carrier; re-exported here so the cases domain
 * keeps importing them from its own folder.
 */
export * from '../../shared/application';
