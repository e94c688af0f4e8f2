/**
 * How the gateway's Node process is started (npm start, start:gateway, the Dockerfile, docker-compose,
 * Kubernetes, the chaos topology and bench:gateway all use these; test/deploy checks the files).
 *
 * The old-generation cap: after a full GC the gateway holds ~45 MB, but with the default limit
 * (a quarter of the machine's memory) V8 lets garbage pile up to ~170 MB between full GCs, and the
 * process peaks at 260–300 MB under the varied mix. Capped at 192 MB, V8 collects sooner (full GCs
 * take 12–16 ms here) and the peak is ~160 MB at the same throughput (bench/RESULTS.md).
 */
export const GATEWAY_HEAP_MB = 192;
export const GATEWAY_NODE_ARGS: readonly string[] = [`--max-old-space-size=${GATEWAY_HEAP_MB}`];
