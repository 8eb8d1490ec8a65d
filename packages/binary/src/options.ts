/**
 * Decoder options and their defaults, merged in one place.
 *
 * @module
 */

/** Limits that keep decoding of hostile input bounded. */
export interface DecodeOptions {
  /**
   * Deepest nesting of components, modules and type definitions accepted.
   * Default `100`: real components nest a handful of levels; recursion deeper
   * than this would only serve to exhaust the JS stack.
   */
  readonly maxDepth: number;
  /**
   * Most items accepted in any one vector (types, imports, locals...).
   * Default `1_000_000`, well above what wasm engines accept in practice.
   * Counts are also always checked against the bytes that remain.
   */
  readonly maxItems: number;
  /**
   * Decode instructions of function bodies into {@link Instruction} nodes
   * instead of keeping them as byte ranges. Default `false`: most tools only
   * need the outline, and raw bodies make decoding ~100x faster.
   */
  readonly instructions: boolean;
}

/** Options after defaults are applied. */
export type ResolvedDecodeOptions = DecodeOptions & { readonly resolved: true };

/** The defaults of {@link DecodeOptions}. */
export const defaultDecodeOptions: ResolvedDecodeOptions = Object.freeze({
  maxDepth: 100,
  maxItems: 1_000_000,
  instructions: false,
  resolved: true,
});

/** Merge user options with {@link defaultDecodeOptions}. */
export function resolveDecodeOptions(options?: Partial<DecodeOptions> | ResolvedDecodeOptions): ResolvedDecodeOptions {
  if (options === undefined) return defaultDecodeOptions;
  if ((options as Partial<ResolvedDecodeOptions>).resolved === true) return options as ResolvedDecodeOptions;
  return Object.freeze({ ...defaultDecodeOptions, ...options, resolved: true as const });
}
