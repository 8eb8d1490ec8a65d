/**
 * The shape of a registry entry: every fact a tool needs about one wasm target
 * for one range of rustc versions.
 *
 * Facts are plain data so a bundler, a host or a CI check can read them
 * without running anything. Where a fact comes from rustc it uses rustc's own
 * spelling (`target_os` values, linker flavour names, wasm feature names as in
 * `-C target-feature`), so it can be compared with `rustc --print cfg` and
 * `rustc --print target-spec-json` one for one.
 *
 * @module
 */

/**
 * How far along a target is.
 *
 * - `stable`: rustc ships it (tier 1 or 2, or tier 3 built with `-Zbuild-std`) in the version range.
 * - `approved`: the rustc team approved a change (a tier promotion...) that is not in a released rustc yet.
 * - `proposed`: defined from a proposal only (an MCP or an open pull request); rustc does not know the triple yet.
 */
export const TargetStatus = {
  Stable: 'stable',
  Approved: 'approved',
  Proposed: 'proposed',
} as const;
/** One of the values of {@link TargetStatus}. */
export type TargetStatus = (typeof TargetStatus)[keyof typeof TargetStatus];

/**
 * What the linker produces: a core module (`\0asm` version 1) or a component
 * (`\0asm` version 0x0d layer 1). A host that only has `WebAssembly.instantiate`
 * can run the first but needs a component runtime (or a transpiler) for the second.
 */
export const ArtifactKind = {
  CoreModule: 'core-module',
  Component: 'component',
} as const;
/** One of the values of {@link ArtifactKind}. */
export type ArtifactKind = (typeof ArtifactKind)[keyof typeof ArtifactKind];

/** Which standard library a target offers: full `std`, or `core` + `alloc` only, or `core` only. */
export const StdSupport = {
  Std: 'std',
  NoStdAlloc: 'no_std+alloc',
  NoStd: 'no_std',
} as const;
/** One of the values of {@link StdSupport}. */
export type StdSupport = (typeof StdSupport)[keyof typeof StdSupport];

/**
 * How a target runs code in parallel, if at all.
 *
 * - `none`: single-threaded (`singlethread` in the rustc spec).
 * - `wasi-threads`: the wasi-threads proposal: a shared imported memory, atomics, and a `wasi.thread-spawn` import.
 * - `cooperative`: the component model's cooperative threads (`thread.*` built-ins), see `Concurrency.md#threads`.
 */
export const ThreadModel = {
  None: 'none',
  WasiThreads: 'wasi-threads',
  Cooperative: 'cooperative',
} as const;
/** One of the values of {@link ThreadModel}. */
export type ThreadModel = (typeof ThreadModel)[keyof typeof ThreadModel];

/**
 * The WASI generation a target is built against. `none` means the target
 * imports no WASI API by default.
 */
export const WasiVersion = {
  None: 'none',
  Preview1: 'preview1',
  P2: '0.2',
  P3: '0.3',
} as const;
/** One of the values of {@link WasiVersion}. */
export type WasiVersion = (typeof WasiVersion)[keyof typeof WasiVersion];

/**
 * Something a host must provide to run a binary built for a target, beyond
 * core WebAssembly (see {@link TargetDefinition.hostNeeds} and `requirements()`).
 *
 * - `component-model`: a component runtime (or a transpiler such as jco) for `\0asm` layer-1 binaries.
 * - `wasi-preview1`: the `wasi_snapshot_preview1` import module.
 * - `wasi-0.2`, `wasi-0.3`: an implementation of the WASI 0.2 / 0.3 interfaces the binary imports.
 * - `shared-memory`: `WebAssembly.Memory({ shared: true })`, which in browsers needs cross-origin isolation.
 * - `wasi-threads`: the `wasi.thread-spawn` import, i.e. a way to start a new instance on a new agent.
 * - `async-builtins`: the component model's async canonical built-ins (`task.return`, `stream.*`, `future.*`, `waitable-set.*`...).
 * - `stackful-lift`: async lifts without a callback, which a JS host can only run with stack switching (JSPI).
 * - `threading-builtins`: the cooperative `thread.*` built-ins.
 */
export const HostFeature = {
  ComponentModel: 'component-model',
  WasiPreview1: 'wasi-preview1',
  Wasi02: 'wasi-0.2',
  Wasi03: 'wasi-0.3',
  SharedMemory: 'shared-memory',
  WasiThreads: 'wasi-threads',
  AsyncBuiltins: 'async-builtins',
  StackfulLift: 'stackful-lift',
  ThreadingBuiltins: 'threading-builtins',
} as const;
/** One of the values of {@link HostFeature}. */
export type HostFeature = (typeof HostFeature)[keyof typeof HostFeature];

/**
 * A half-open range of rustc versions, `since <= v < until`. Versions are
 * `major.minor.patch`; a pre-release suffix (`1.97.0-nightly`) is ignored, so
 * a nightly counts as the release it will become.
 */
export interface RustcRange {
  /** First rustc version the facts hold for. */
  readonly since: string;
  /** First rustc version they no longer hold for; absent means "up to the newest known". */
  readonly until?: string;
}

/**
 * Where the facts of a definition come from: rustc's own printed spec (with
 * the rustc versions it was checked against), or a proposal (with links), or
 * both for a change that was approved but is not yet released.
 */
export interface Provenance {
  /** rustc versions (`rustc -vV` release lines) whose printed spec and cfgs the facts were compared with. */
  readonly verifiedWith: readonly string[];
  /** Links to the proposals, pull requests or docs that define facts not yet in a released rustc. */
  readonly references: readonly string[];
  /** One sentence on what is known and what is assumed. */
  readonly note?: string;
}

/**
 * An interface (or a core import module) a target may import, e.g.
 * `wasi:cli/environment@0.2.*` or the core module `wasi_snapshot_preview1`.
 */
export interface ImportRule {
  /**
   * The pattern: for components an interface name `ns:pkg/iface@version` where
   * `*` matches any run of characters (e.g. `wasi:*@0.2.*`); for core modules a
   * module name, optionally `module::field` to allow one field only.
   */
  readonly pattern: string;
  /** Why the target may import it (shown in `targets show`). */
  readonly why: string;
}

/**
 * An export a binary built for the target has when it is a command (has a
 * `main`), e.g. `wasi:cli/run@0.2.*` or `_start`.
 */
export interface CommandExport {
  /** Export name pattern, `*` as in {@link ImportRule.pattern}. */
  readonly pattern: string;
  /** `sync` for a plain lift, `async` for a WASI 0.3 async `run` (lifted with `async`). */
  readonly mode: 'sync' | 'async' | 'core';
}

/**
 * An export a binary for the target must have, e.g. `memory` for a module
 * that calls WASI preview 1 (whose functions read and write the memory
 * exported under that name).
 */
export interface RequiredExport {
  /** The export name. */
  readonly name: string;
  /** Only required when the binary has an import matching this pattern ({@link ImportRule.pattern} syntax). */
  readonly ifImports?: string;
  /** Why, for people. */
  readonly why: string;
}

/**
 * What a target allows a binary to import. Used by `classify` to say why a
 * binary does not fit.
 */
export interface ImportPolicy {
  /** WASI imports (names in the `wasi` namespace or the WASI core modules) that are allowed. */
  readonly wasi: readonly ImportRule[];
  /**
   * Whether imports outside WASI (an application's own interfaces or core
   * modules, `env` from `--allow-undefined`...) are allowed. Every Rust wasm
   * target lets code declare its own imports, so this is `true` for all of
   * them today; a stricter profile can set it to `false`.
   */
  readonly foreign: boolean;
}

/** The `cfg`s a target sets, as `rustc --print cfg` prints them (values without quotes). */
export interface TargetCfg {
  /** `target_arch`. */
  readonly arch: string;
  /** `target_os`. */
  readonly os: string;
  /** `target_env` (empty string when unset). */
  readonly env: string;
  /** `target_abi` (empty string when unset). */
  readonly abi: string;
  /** `target_vendor`. */
  readonly vendor: string;
  /** `target_family` values. */
  readonly family: readonly string[];
  /** `target_endian`. */
  readonly endian: 'little' | 'big';
  /** `target_pointer_width`. */
  readonly pointerWidth: number;
  /** Bare cfg names a target sets beyond the `target_*` ones, e.g. a web cfg. */
  readonly extra: readonly string[];
}

/** How the target links: which linker, which flavour, and the flags rustc passes first. */
export interface LinkerFacts {
  /** The linker program rustc runs (`rust-lld`, `wasm-component-ld`). */
  readonly linker: string;
  /** rustc's linker flavour (`wasm-lld`). */
  readonly flavor: string;
  /** The lld flavour (`wasm`). */
  readonly lldFlavor: string;
  /** `pre-link-args` per flavour, exactly as in the rustc spec. */
  readonly preLinkArgs: Readonly<Record<string, readonly string[]>>;
}

/**
 * One registry entry: the facts of one target for one range of rustc
 * versions. A triple can have several definitions with disjoint ranges (the
 * facts change as rustc changes), see `lookup()`.
 */
export interface TargetDefinition {
  /** The rustc target triple. */
  readonly triple: string;
  /** Other names that resolve to this target with a notice (see {@link TargetAlias}). */
  readonly aliases: readonly TargetAlias[];
  /** The rustc versions these facts hold for. */
  readonly rustc: RustcRange;
  /** rustc's support tier. */
  readonly tier: 1 | 2 | 3;
  /** How far along the target is, see {@link TargetStatus}. */
  readonly status: TargetStatus;
  /** Where the facts come from. */
  readonly provenance: Provenance;
  /** One line for people. */
  readonly summary: string;
  /** rustc's `metadata.description` (may be `null` in rustc's spec). */
  readonly description: string | null;
  /** Core module or component. */
  readonly artifact: ArtifactKind;
  /** The WASI generation the target's `std` uses. */
  readonly wasi: WasiVersion;
  /** What the target may import. */
  readonly imports: ImportPolicy;
  /**
   * The export(s) a command (a binary with `main`) has. `any` when the target
   * leaves exports to the user (`wasm32-none-component`), so a `wasi:cli/run`
   * export of any version is not held against a binary.
   */
  readonly commandExports: readonly CommandExport[] | 'any';
  /** Exports a binary must have (see {@link RequiredExport}). */
  readonly requiredExports: readonly RequiredExport[];
  /** Which standard library is available. */
  readonly std: StdSupport;
  /** The threads model. */
  readonly threads: ThreadModel;
  /** rustc's `panic-strategy`. */
  readonly panicStrategy: 'abort' | 'unwind';
  /**
   * The wasm features the target enables by default, with rustc's names
   * (`-C target-feature`), whether or not stable rustc prints them as cfgs.
   */
  readonly features: readonly string[];
  /** Whether a user may enable more features with `-C target-feature` and still fit the target (false for `wasm32v1-none`, whose point is a fixed feature set). */
  readonly featuresFixed: boolean;
  /** The LLVM target triple. */
  readonly llvmTarget: string;
  /** The LLVM cpu, when the target pins one (`mvp` for `wasm32v1-none`). */
  readonly cpu?: string;
  /** The LLVM data layout string. */
  readonly dataLayout: string;
  /** Linker and its flags. */
  readonly linker: LinkerFacts;
  /** The cfgs it sets. */
  readonly cfg: TargetCfg;
  /** What a host needs to run any binary built for the target (see `requirements()`). */
  readonly hostNeeds: readonly HostFeature[];
  /**
   * What a binary built for the target may use beyond {@link hostNeeds}, and a
   * host then needs too (e.g. stackful async lifts on `wasm32-wasip3`). A
   * binary that uses a host feature in neither list does not fit the target.
   */
  readonly hostMay: readonly HostFeature[];
  /**
   * The remaining keys of rustc's target-spec JSON that have no typed fact
   * above (crt objects, `entry-name`, `relocation-model`...), spelled as rustc
   * spells them, so `targetSpecJson()` can reproduce rustc's output exactly.
   */
  readonly specExtras: Readonly<Record<string, JsonValue>>;
}

/**
 * Another name for a target. The Rust 2026 goal used working names that were
 * renamed in review; tools that still use them should keep working, and be
 * told the new name.
 */
export interface TargetAlias {
  /** The other name. */
  readonly name: string;
  /** The sentence shown when someone uses it. */
  readonly notice: string;
}

/** A JSON value, for the target-spec JSON. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
