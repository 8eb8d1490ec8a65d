/**
 * The `cfg`s a target sets, in the form `rustc --print cfg --target T` prints
 * them, so a build script or a test can compare them line for line.
 *
 * @module
 */
import type { TargetDefinition } from './types.js';

/**
 * Wasm target features that are unstable in rustc: stable rustc does not
 * print them as `target_feature` cfgs even when the target enables them (as
 * `wasm32-wasip1-threads` enables `atomics`); a nightly rustc does.
 */
export const UNSTABLE_TARGET_FEATURES: readonly string[] = Object.freeze(['atomics']);

/** Options of {@link cfgList}. */
export interface CfgOptions {
  /** Print the cfgs a nightly rustc prints for the target's unstable features too (default `false`). */
  readonly nightly?: boolean;
}

/** Sizes `target_has_atomic` lists for a given `max-atomic-width` and pointer width. */
function atomicSizes(maxWidth: number, pointerWidth: number): string[] {
  const out = [8, 16, 32, 64, 128].filter((w) => w <= maxWidth).map(String);
  if (pointerWidth <= maxWidth) out.push('ptr');
  return out;
}

/**
 * The target's cfgs as `rustc --print cfg` prints them (sorted, one per
 * entry, values quoted), without the profile-dependent ones
 * (`debug_assertions`, `overflow_checks`...) and without the extra
 * nightly-only keys (`target_has_atomic_load_store`...).
 *
 * @example cfgList(getTarget('wasm32-wasip2').target) includes 'target_env="p2"'
 */
export function cfgList(target: TargetDefinition, options: CfgOptions = {}): string[] {
  const c = target.cfg;
  const q = (name: string, value: string | number): string => `${name}="${value}"`;
  const lines: string[] = [
    q('panic', target.panicStrategy),
    q('target_abi', c.abi),
    q('target_arch', c.arch),
    q('target_endian', c.endian),
    q('target_env', c.env),
    ...c.family.map((f) => q('target_family', f)),
    q('target_os', c.os),
    q('target_pointer_width', c.pointerWidth),
    q('target_vendor', c.vendor),
    ...c.extra,
  ];
  for (const f of target.features) {
    if (options.nightly === true || !UNSTABLE_TARGET_FEATURES.includes(f)) lines.push(q('target_feature', f));
  }
  if (target.specExtras['crt-static-default'] === true) lines.push(q('target_feature', 'crt-static'));
  // Every wasm32 target has max-atomic-width 64, even the single-threaded ones
  // (atomics lower to plain loads and stores there).
  for (const size of atomicSizes(64, c.pointerWidth)) lines.push(q('target_has_atomic', size));
  return [...new Set(lines)].sort();
}

/** Parse the output of `rustc --print cfg` into its lines (trimmed, empty lines dropped). */
export function parseCfgOutput(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
