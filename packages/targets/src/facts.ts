/**
 * What `classify` needs to know about a binary, as plain data.
 *
 * This is the boundary between decoding (`inspect.ts`, which walks the AST of
 * `@wasm-components/binary`) and judging (`classify.ts`, which compares these
 * facts with the registry). Keeping it small means a tool that has its own
 * decoder (or only a WIT world) can build an {@link ArtifactFacts} and still
 * use `classifyFacts`.
 *
 * @module
 */
import type { HostFeature } from './types.js';

/** One top-level import. */
export interface ImportFact {
  /**
   * For a component: the full import name (`wasi:cli/environment@0.2.6`,
   * `my-label`). For a core module: the field name, with {@link module} set.
   */
  readonly name: string;
  /** For a core module: the import module (`wasi_snapshot_preview1`, `env`). */
  readonly module?: string;
  /** What is imported: `func`, `memory`, `instance`... */
  readonly sort: string;
}

/** One top-level export. */
export interface ExportFact {
  /** The export name (`_start`, `wasi:cli/run@0.2.6`). */
  readonly name: string;
  /** What is exported: `func`, `memory`, `instance`... */
  readonly sort: string;
}

/** A wasm feature (rustc's name, e.g. `simd128`, `atomics`) the binary uses, and where it was seen. */
export interface FeatureUse {
  /** rustc's name of the feature (`-C target-feature`). */
  readonly feature: string;
  /** Where, for people: `type 3 returns 2 values`, `instruction i32.extend8_s in function 12`. */
  readonly evidence: string;
}

/** A host feature (async built-ins, a stackful lift...) the binary needs, and where it was seen. */
export interface HostFeatureUse {
  /** The feature. */
  readonly feature: HostFeature;
  /** Where, for people: `canon task.return`, `async lift without callback of core func 4`. */
  readonly evidence: string;
}

/** The linear memory of a core module (its first memory), if it has one. */
export interface MemoryFact {
  /** Imported rather than defined. */
  readonly imported: boolean;
  /** A shared memory (threads proposal). */
  readonly shared: boolean;
  /** A 64-bit memory (memory64 proposal). */
  readonly memory64: boolean;
}

/** Everything `classify` looks at in a binary. */
export interface ArtifactFacts {
  /** Core module or component, by the preamble. */
  readonly artifact: 'core-module' | 'component';
  /** Top-level imports (for a component, not those of its nested modules). */
  readonly imports: readonly ImportFact[];
  /** Top-level exports. */
  readonly exports: readonly ExportFact[];
  /** Wasm features used by the code (of every nested core module, for a component). */
  readonly features: readonly FeatureUse[];
  /** Host features the binary needs beyond running core wasm. */
  readonly host: readonly HostFeatureUse[];
  /** For a core module: its memory (undefined when it has none or for a component). */
  readonly memory?: MemoryFact;
  /**
   * The features the producer says the code was compiled with (the
   * `target_features` custom section written by LLVM's linker), with rustc's
   * names, sorted; absent when no module has the section.
   */
  readonly declaredFeatures?: readonly string[];
  /** Whether instruction bodies were looked at; without them only structural feature uses are seen. */
  readonly instructionsScanned: boolean;
}
