/**
 * Decode a binary with `@wasm-components/binary` and extract the facts
 * `classify` judges.
 *
 * @module
 */
import { decode } from '@wasm-components/binary';
import { binaryFacts } from './ast-facts.js';
import { type Classification, type ClassifyOptions, classifyFacts } from './classify.js';
import type { ArtifactFacts } from './facts.js';

/** Options of {@link inspect}. */
export interface InspectOptions {
  /**
   * Decode instruction bodies too (default `true`): slower, but it is the
   * only way to see `sign-ext`, `nontrapping-fptoint`, SIMD and atomics
   * instructions.
   */
  readonly instructions?: boolean;
}

/**
 * The facts of a binary: imports, exports, wasm features and host features used.
 *
 * @throws the `DecodeError` of `@wasm-components/binary` when the bytes are not a well-formed binary
 */
export function inspect(bytes: Uint8Array, options: InspectOptions = {}): ArtifactFacts {
  return binaryFacts(decode(bytes, { instructions: options.instructions ?? true }));
}

/**
 * Say which targets a binary fits and, for the others, why not.
 *
 * @example
 * const c = classify(bytes);
 * c.best;     // 'wasm32-wasip2'
 * c.verdicts.find((v) => v.triple === 'wasm32-wasip1')?.reasons[0]?.message;
 * // 'is a component, but wasm32-wasip1 produces core modules'
 * @throws the `DecodeError` of `@wasm-components/binary` when the bytes are not a well-formed binary,
 *   and {@link TargetError} for an unknown name in `options.targets`
 */
export function classify(bytes: Uint8Array, options: ClassifyOptions & InspectOptions = {}): Classification {
  return classifyFacts(inspect(bytes, options), options);
}
