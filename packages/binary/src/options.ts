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
  /**
   * Decode only what describes each core module's interface (its types,
   * imports, functions, tables, memories, globals, exports, start, elements,
   * tags, data count) and keep the bulk of it undecoded: code and data
   * sections become `RawSection` nodes (`kind: 'raw'`, contents as a
   * view into the input, item count read for the usual cross-section checks)
   * and a `name` section stays a plain custom section. Default `false`.
   * For tools that hand the module's bytes to an engine and need only its
   * interface, such as a component runtime: on a 12 MB module this skips
   * ~20k function bodies and data segments. Encoding still round-trips
   * byte-exactly; `instructions` has no effect on raw sections.
   */
  readonly interfaceOnly: boolean;
}

/** Options after defaults are applied. */
export type ResolvedDecodeOptions = DecodeOptions & { readonly resolved: true };

/** The defaults of {@link DecodeOptions}. */
export const defaultDecodeOptions: ResolvedDecodeOptions = Object.freeze({
  maxDepth: 100,
  maxItems: 1_000_000,
  instructions: false,
  interfaceOnly: false,
  resolved: true,
});

/** Merge user options with {@link defaultDecodeOptions}. */
export function resolveDecodeOptions(options?: Partial<DecodeOptions> | ResolvedDecodeOptions): ResolvedDecodeOptions {
  if (options === undefined) return defaultDecodeOptions;
  if ((options as Partial<ResolvedDecodeOptions>).resolved === true) return options as ResolvedDecodeOptions;
  return Object.freeze({ ...defaultDecodeOptions, ...options, resolved: true as const });
}
