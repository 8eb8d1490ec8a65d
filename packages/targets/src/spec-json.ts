/**
 * Emit a rustc target-spec JSON for a target.
 *
 * For the targets rustc has, the output equals what `rustc --print
 * target-spec-json -Z unstable-options --target T` prints for the rustc
 * version of the definition (the tests check this against captured files).
 * For the proposed targets it is a working custom target: save it as
 * `wasm32-none-component.json` and build with `--target
 * wasm32-none-component.json -Zbuild-std=core,alloc` on a nightly (or with
 * `RUSTC_BOOTSTRAP=1`).
 *
 * @module
 */
import type { JsonValue, TargetDefinition } from './types.js';

/** A JSON object, as emitted by {@link targetSpecJson}. */
export type JsonObject = { readonly [key: string]: JsonValue };

function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const o = v as JsonObject;
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(o).sort()) out[k] = sortKeys(o[k] as JsonValue);
    return out;
  }
  return v;
}

/**
 * The rustc target-spec JSON of a target, keys sorted as rustc sorts them.
 *
 * Typed facts map to their keys (`linker`, `os`, `env`, `cpu`, `metadata`...);
 * {@link TargetDefinition.specExtras} fills in the rest.
 */
export function targetSpecJson(target: TargetDefinition): JsonObject {
  const spec: Record<string, JsonValue> = {
    arch: target.cfg.arch,
    'binary-format': 'wasm',
    'crt-objects-fallback': 'true',
    'data-layout': target.dataLayout,
    'dll-prefix': '',
    'dll-suffix': '.wasm',
    'dynamic-linking': true,
    'eh-frame-header': false,
    'emit-debug-gdb-scripts': false,
    'exe-suffix': '.wasm',
    'generate-arange-section': false,
    'has-thread-local': true,
    'is-like-wasm': true,
    linker: target.linker.linker,
    'linker-flavor': target.linker.flavor,
    'linker-is-gnu': false,
    'lld-flavor': target.linker.lldFlavor,
    'llvm-target': target.llvmTarget,
    'max-atomic-width': 64,
    metadata: { description: target.description, host_tools: false, std: target.std === 'std', tier: target.tier },
    'only-cdylib': true,
    'panic-strategy': target.panicStrategy,
    'pre-link-args': target.linker.preLinkArgs as JsonObject,
    'target-family': [...target.cfg.family],
    'target-pointer-width': target.cfg.pointerWidth,
    'tls-model': 'local-exec',
  };
  // rustc omits keys that have their default value: os "none", env "", cpu "generic".
  if (target.cfg.os !== 'none') spec['os'] = target.cfg.os;
  if (target.cfg.env !== '') spec['env'] = target.cfg.env;
  if (target.cpu !== undefined) spec['cpu'] = target.cpu;
  if (target.threads === 'none') spec['singlethread'] = true;
  for (const [k, v] of Object.entries(target.specExtras)) spec[k] = v;
  return sortKeys(spec) as JsonObject;
}

/** {@link targetSpecJson} as text, indented like rustc's output, with a final newline. */
export function formatTargetSpecJson(target: TargetDefinition): string {
  return `${JSON.stringify(targetSpecJson(target), null, 2)}\n`;
}
