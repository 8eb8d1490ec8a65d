/**
 * What a host must provide to run a binary built for a target.
 *
 * A host (a JS runtime, Wasmtime, a bundler's dev server) can check this
 * before loading a binary, and a build tool can print it next to the output.
 *
 * @module
 */
import type { HostFeature, ImportRule, TargetDefinition } from './types.js';

/** One host feature with why it is needed. */
export interface HostRequirement {
  /** The feature. */
  readonly feature: HostFeature;
  /** What it means for a host, in one sentence. */
  readonly description: string;
}

/** The result of {@link requirements}. */
export interface Requirements {
  /** The target's triple. */
  readonly triple: string;
  /** Needed by every binary built for the target. */
  readonly required: readonly HostRequirement[];
  /** Needed only by binaries that use them (the host should provide them, or check the binary with `classify`). */
  readonly optional: readonly HostRequirement[];
  /** The WASI interfaces (or core modules) binaries may import, which the host implements. */
  readonly wasiImports: readonly ImportRule[];
  /** Whether binaries may also import non-WASI names (to be supplied by the embedder). */
  readonly foreignImports: boolean;
  /** The wasm features the engine must support (those the target enables by default). */
  readonly wasmFeatures: readonly string[];
}

/** What each host feature asks of a host. */
export const HOST_FEATURE_DESCRIPTIONS: Readonly<Record<HostFeature, string>> = Object.freeze({
  'component-model': 'Run components (`\\0asm` layer 1): a component runtime, or a transpiler such as jco.',
  'wasi-preview1': 'Provide the `wasi_snapshot_preview1` import module (e.g. node:wasi, @wasmer/wasi, a WASI preview1 polyfill).',
  'wasi-0.2': 'Implement the WASI 0.2 interfaces the binary imports (wasi:cli, wasi:io, wasi:clocks, wasi:filesystem, wasi:random, wasi:sockets...).',
  'wasi-0.3': 'Implement the WASI 0.3 interfaces the binary imports (async functions with stream<T> and future<T>).',
  'shared-memory': 'Create a shared WebAssembly.Memory (in browsers this needs cross-origin isolation: COOP + COEP headers).',
  'wasi-threads': 'Provide `wasi.thread-spawn`: start a new instance of the module on a new agent (worker) sharing the memory.',
  'async-builtins': 'Implement the component model async built-ins (task.return, waitable-set.*, stream.*, future.*, subtask.*, context.*, backpressure.*).',
  'stackful-lift': 'Run async lifts without a callback, which suspend on the wasm stack: stack switching, or JSPI in a JS host.',
  'threading-builtins': 'Implement the cooperative thread built-ins (thread.new-indirect, thread.suspend, thread.yield-to...), which in a JS host need JSPI or stack switching.',
});

const describe = (feature: HostFeature): HostRequirement => ({ feature, description: HOST_FEATURE_DESCRIPTIONS[feature] });

/** What a host must provide to run binaries built for `target`. */
export function requirements(target: TargetDefinition): Requirements {
  return {
    triple: target.triple,
    required: target.hostNeeds.map(describe),
    optional: target.hostMay.map(describe),
    wasiImports: target.imports.wasi,
    foreignImports: target.imports.foreign,
    wasmFeatures: target.features,
  };
}
