/**
 * `@wasm-components/targets`: the wasm targets of rustc (and the proposed
 * component targets), as typed, versioned data, with a check of real
 * binaries against them.
 *
 * @module
 */
export * from './types.js';
export * from './errors.js';
export { type RustcVersion, parseRustcVersion, compareRustcVersions, inRustcRange, formatRustcRange } from './version.js';
export { DEFINITIONS, TRIPLES } from './registry.js';
export { type LookupOptions, type LookupResult, type ListOptions, lookup, getTarget, listTargets, definitions } from './lookup.js';
export { type CfgOptions, UNSTABLE_TARGET_FEATURES, cfgList, parseCfgOutput } from './cfg.js';
export { type JsonObject, targetSpecJson, formatTargetSpecJson } from './spec-json.js';
export { type HostRequirement, type Requirements, HOST_FEATURE_DESCRIPTIONS, requirements } from './requirements.js';
export type { ArtifactFacts, ImportFact, ExportFact, FeatureUse, HostFeatureUse, MemoryFact } from './facts.js';
export {
  type Reason,
  type TargetVerdict,
  type Classification,
  type ClassifyOptions,
  ReasonCode,
  isWasiImport,
  matchesImportPattern,
  judgeTarget,
  classifyFacts,
} from './classify.js';
export { moduleFacts, moduleFeatures, componentFacts, binaryFacts, targetFeaturesSection } from './ast-facts.js';
export { type InspectOptions, inspect, classify } from './inspect.js';
