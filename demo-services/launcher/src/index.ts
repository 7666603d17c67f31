/**
 * `@periscope-demo/launcher`: the local demo stack as tests and tools use it — start it, read its
 * Prometheus, register a target of one's own, and the launcher's paths and argument parsers.
 * Nothing outside demo-services/ imports a file of src/.
 */
export { startStack, processLabel } from './stack.ts';
export type { Stack, StackOptions, ProcessName } from './stack.ts';
export type { Notification, ReceivedAlert, Receiver } from './receiver.ts';
export { formatNotification } from './receiver-notification.ts';
export { activeTargets, instantQuery } from './prometheus-api.ts';
export type { PromSample, PromTarget } from './prometheus-api.ts';
export { derivePrometheusConfig, BUILT_IN_PROMETHEUS_CONFIG } from './prometheus-config.ts';
export type { DerivedPrometheusConfig, PrometheusConfigInput, PrometheusGlobal } from './prometheus-config.ts';
export { targetFile, targetGroup, writeTargetFile, removeTargetFile } from './file-targets.ts';
export type { TargetGroup } from './file-targets.ts';
export { COMPONENTS, COMPONENT_NAMES } from './components.ts';
export type { ComponentInfo, ComponentName } from './components.ts';
export { REPO_ROOT, DEFAULT_STATE_DIR, PROMETHEUS_SOURCE, ALERTMANAGER_SOURCE, entryPoint } from './paths.ts';
export { parseDemoArgs, DEMO_USAGE } from './demo-args.ts';
export type { DemoOptions } from './demo-args.ts';
export { parseFaultArgs, FAULT_USAGE } from './fault-args.ts';
export type { FaultCommand } from './fault-args.ts';
export { getFaults, setFaults, clearFaults } from './fault-client.ts';
export type { FaultAnswer } from './fault-client.ts';
