/**
 * The registry data: one {@link TargetDefinition} per target and rustc range.
 *
 * Facts of the targets rustc already has were read off `rustc --print
 * target-spec-json` and `rustc --print cfg` (captured by
 * `tools/rustc-targets/capture.sh`; the tests compare every definition with
 * those files). Facts of targets rustc does not have yet come from their
 * proposals and say so in `provenance`.
 *
 * The ranges start at 1.95.0, the oldest rustc the facts were checked
 * against; older rustcs are not described rather than described wrongly.
 *
 * @module
 */
import type { CommandExport, HostFeature, ImportRule, JsonValue, RequiredExport, TargetDefinition } from './types.js';

/** LLVM data layout shared by every wasm32 target (rustc 1.95, LLVM 22). */
const DATA_LAYOUT = 'e-m:e-p:32:32-p10:8:8-p20:8:8-i64:64-i128:128-n32:64-S128-ni:1:10:20';

/**
 * Features LLVM's `generic` cpu enables, with rustc's names, as rustc prints
 * them (`bulk-memory-opt` and `call-indirect-overlong` are enabled too but
 * rustc has no name for them).
 */
const GENERIC_FEATURES = ['bulk-memory', 'multivalue', 'mutable-globals', 'nontrapping-fptoint', 'reference-types', 'sign-ext'] as const;

/** rustc 1.97 stopped passing `--allow-undefined` (undefined symbols became link errors) and set `-wasm-use-legacy-eh=false`. */
const R97 = '1.97.0';
/** The first rustc the facts were checked against. */
const R95 = '1.95.0';
/** `wasm32-wasip3` reaches tier 2 here (rust-lang/rust#161940). */
const R100 = '1.100.0';

const VERIFIED_95 = ['1.95.0'];
const VERIFIED_97 = ['1.97.0-nightly'];

/** `pre-link-args` common to all wasm targets, as rustc 1.95 (`allowUndefined`) or 1.97 writes them. */
function lldArgs(allowUndefined: boolean, tail: readonly string[] = []): string[] {
  return ['-z', 'stack-size=1048576', '--stack-first', ...(allowUndefined ? ['--allow-undefined'] : []), '--no-demangle', ...tail];
}

/** The same flags for the `wasm-lld-cc` flavour (clang as the linker driver). */
function ccArgs(allowUndefined: boolean, target: string | undefined, tail: readonly string[] = []): string[] {
  return [
    ...lldArgs(allowUndefined).map((a) => `-Wl,${a}`),
    ...(target === undefined ? [] : [`--target=${target}`]),
    ...tail,
  ];
}

/** Spec keys every WASI target with wasi-libc has (`crt-static` and crt objects). */
const WASI_LIBC_EXTRAS: Readonly<Record<string, JsonValue>> = {
  'crt-static-allows-dylibs': true,
  'crt-static-default': true,
  'crt-static-respected': true,
  'entry-name': '__main_void',
  'main-needs-argc-argv': false,
  'pre-link-objects-fallback': {
    'dynamic-nopic-exe': ['crt1-command.o'],
    'dynamic-pic-exe': ['crt1-command.o'],
    'static-nopic-exe': ['crt1-command.o'],
    'static-pic-exe': ['crt1-command.o'],
    'wasi-reactor-exe': ['crt1-reactor.o'],
  },
};

/** Keys rustc 1.97 adds to every wasm target. */
const EXTRAS_97: Readonly<Record<string, JsonValue>> = { 'llvm-args': ['-wasm-use-legacy-eh=false'] };

const P1_IMPORTS: readonly ImportRule[] = [
  { pattern: 'wasi_snapshot_preview1', why: 'WASI preview 1 functions used by std (through wasi-libc)' },
];
const P2_IMPORTS: readonly ImportRule[] = [
  { pattern: 'wasi:*@0.2.*', why: 'WASI 0.2 interfaces (wasi:cli, wasi:io, wasi:clocks, wasi:filesystem, wasi:sockets, wasi:random...)' },
];
const P3_IMPORTS: readonly ImportRule[] = [
  { pattern: 'wasi:*@0.3.*', why: 'WASI 0.3 interfaces (async functions, stream<T> and future<T>)' },
  ...P2_IMPORTS.map((r) => ({ ...r, why: `${r.why}; the 1.9x std still uses some of them` })),
];

const P1_EXPORTS: readonly RequiredExport[] = [
  { name: 'memory', ifImports: 'wasi_snapshot_preview1', why: 'WASI preview 1 functions read and write the memory exported as `memory`' },
];

const P1_RUN: readonly CommandExport[] = [{ pattern: '_start', mode: 'core' }];
const P2_RUN: readonly CommandExport[] = [{ pattern: 'wasi:cli/run@0.2.*', mode: 'sync' }];
const P3_RUN: readonly CommandExport[] = [{ pattern: 'wasi:cli/run@0.3.*', mode: 'async' }, ...P2_RUN];

const WASM_CFG = { arch: 'wasm32', abi: '', vendor: 'unknown', family: ['wasm'], endian: 'little', pointerWidth: 32, extra: [] } as const;

const COMPONENT: readonly HostFeature[] = ['component-model'];

type Def = TargetDefinition;

/** Make the rustc 1.97 revision of a 1.95 definition (same facts, new linker flags). */
function as97(d: Def, until?: string): Def {
  const allow = (args: readonly string[]): string[] => args.filter((a) => a !== '--allow-undefined' && a !== '-Wl,--allow-undefined');
  const preLinkArgs: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(d.linker.preLinkArgs)) preLinkArgs[k] = allow(v);
  const extras: Record<string, JsonValue> = { ...d.specExtras, ...EXTRAS_97 };
  // 1.97 spells out `main-needs-argc-argv: false` for the bare targets too.
  if (d.cfg.os !== 'wasi') extras['main-needs-argc-argv'] = false;
  return {
    ...d,
    rustc: until === undefined ? { since: R97 } : { since: R97, until },
    provenance: { ...d.provenance, verifiedWith: VERIFIED_97 },
    linker: { ...d.linker, preLinkArgs },
    specExtras: extras,
  };
}

const wasip1: Def = {
  triple: 'wasm32-wasip1',
  aliases: [{ name: 'wasm32-wasi', notice: '`wasm32-wasi` was renamed to `wasm32-wasip1` (removed in rustc 1.84); using wasm32-wasip1.' }],
  rustc: { since: R95, until: R97 },
  tier: 2,
  status: 'stable',
  provenance: { verifiedWith: VERIFIED_95, references: ['https://doc.rust-lang.org/rustc/platform-support/wasm32-wasip1.html'] },
  summary: 'Core module using WASI preview 1 (`wasi_snapshot_preview1`).',
  description: 'WebAssembly with WASI',
  artifact: 'core-module',
  wasi: 'preview1',
  imports: { wasi: P1_IMPORTS, foreign: true },
  commandExports: P1_RUN,
  requiredExports: P1_EXPORTS,
  std: 'std',
  threads: 'none',
  panicStrategy: 'abort',
  features: GENERIC_FEATURES,
  featuresFixed: false,
  llvmTarget: 'wasm32-wasip1',
  dataLayout: DATA_LAYOUT,
  linker: {
    linker: 'rust-lld',
    flavor: 'wasm-lld',
    lldFlavor: 'wasm',
    preLinkArgs: { 'wasm-lld': lldArgs(true), 'wasm-lld-cc': ccArgs(true, 'wasm32-wasip1') },
  },
  cfg: { ...WASM_CFG, os: 'wasi', env: 'p1' },
  hostNeeds: ['wasi-preview1'],
  hostMay: [],
  specExtras: { ...WASI_LIBC_EXTRAS, 'relocation-model': 'static' },
};

const THREADS_LLD = ['--import-memory', '--export-memory', '--shared-memory', '--max-memory=1073741824'];
// rustc 1.95 really writes `-Wl,--export-memory,` with a trailing comma.
const THREADS_CC = ['-Wl,--import-memory', '-Wl,--export-memory,', '-Wl,--shared-memory', '-Wl,--max-memory=1073741824'];

const wasip1Threads: Def = {
  ...wasip1,
  triple: 'wasm32-wasip1-threads',
  aliases: [{ name: 'wasm32-wasi-preview1-threads', notice: '`wasm32-wasi-preview1-threads` was renamed to `wasm32-wasip1-threads`; using wasm32-wasip1-threads.' }],
  provenance: { verifiedWith: VERIFIED_95, references: ['https://doc.rust-lang.org/rustc/platform-support/wasm32-wasip1-threads.html'] },
  summary: 'Core module using WASI preview 1 plus wasi-threads: imports a shared memory and `wasi.thread-spawn`.',
  description: null,
  imports: {
    wasi: [...P1_IMPORTS, { pattern: 'wasi::thread-spawn', why: 'wasi-threads: start a thread on a new instance' }],
    foreign: true,
  },
  requiredExports: [
    ...P1_EXPORTS,
    { name: 'wasi_thread_start', ifImports: 'wasi::thread-spawn', why: 'wasi-threads starts every new thread at this export' },
  ],
  threads: 'wasi-threads',
  features: ['atomics', ...GENERIC_FEATURES],
  llvmTarget: 'wasm32-wasi',
  linker: {
    ...wasip1.linker,
    preLinkArgs: {
      'wasm-lld': lldArgs(true, THREADS_LLD),
      'wasm-lld-cc': ccArgs(true, 'wasm32-wasip1-threads', THREADS_CC),
    },
  },
  hostNeeds: ['wasi-preview1', 'shared-memory', 'wasi-threads'],
  specExtras: { ...wasip1.specExtras, features: '+atomics,+bulk-memory,+mutable-globals' },
};

const wasip2: Def = {
  ...wasip1,
  triple: 'wasm32-wasip2',
  aliases: [{ name: 'wasm32-wasi-preview2', notice: '`wasm32-wasi-preview2` was the working name of `wasm32-wasip2`; using wasm32-wasip2.' }],
  provenance: { verifiedWith: VERIFIED_95, references: ['https://doc.rust-lang.org/rustc/platform-support/wasm32-wasip2.html', 'https://github.com/rust-lang/compiler-team/issues/760'] },
  summary: 'Component using WASI 0.2; commands export `wasi:cli/run@0.2.x`.',
  description: 'WebAssembly',
  artifact: 'component',
  wasi: '0.2',
  imports: { wasi: P2_IMPORTS, foreign: true },
  commandExports: P2_RUN,
  requiredExports: [],
  llvmTarget: 'wasm32-wasip2',
  linker: {
    linker: 'wasm-component-ld',
    flavor: 'wasm-lld',
    lldFlavor: 'wasm',
    preLinkArgs: { 'wasm-lld': lldArgs(true), 'wasm-lld-cc': ccArgs(true, undefined) },
  },
  cfg: { ...WASM_CFG, os: 'wasi', env: 'p2' },
  hostNeeds: [...COMPONENT, 'wasi-0.2'],
  specExtras: WASI_LIBC_EXTRAS,
};

const wasip3: Def = {
  ...wasip2,
  triple: 'wasm32-wasip3',
  aliases: [],
  tier: 3,
  provenance: {
    verifiedWith: VERIFIED_95,
    references: ['https://doc.rust-lang.org/nightly/rustc/platform-support/wasm32-wasip3.html', 'https://github.com/rust-lang/rust/pull/147205'],
    note: 'Tier 3 until rustc 1.100; the 1.9x std still implements most of itself with WASI 0.2 interfaces.',
  },
  summary: 'Component using WASI 0.3 (async functions, streams and futures); tier 3 before rustc 1.100.',
  wasi: '0.3',
  imports: { wasi: P3_IMPORTS, foreign: true },
  commandExports: P3_RUN,
  llvmTarget: 'wasm32-wasip3',
  cfg: { ...WASM_CFG, os: 'wasi', env: 'p3' },
  hostNeeds: [...COMPONENT, 'wasi-0.3', 'async-builtins'],
  hostMay: ['wasi-0.2', 'stackful-lift'],
};

const unknownUnknown: Def = {
  triple: 'wasm32-unknown-unknown',
  aliases: [],
  rustc: { since: R95, until: R97 },
  tier: 2,
  status: 'stable',
  provenance: { verifiedWith: VERIFIED_95, references: ['https://doc.rust-lang.org/rustc/platform-support/wasm32-unknown-unknown.html'] },
  summary: 'Core module with no OS: imports only what the code declares (e.g. wasm-bindgen glue); std exists but most of it fails at run time.',
  description: 'WebAssembly',
  artifact: 'core-module',
  wasi: 'none',
  imports: { wasi: [], foreign: true },
  commandExports: 'any',
  requiredExports: [],
  std: 'std',
  threads: 'none',
  panicStrategy: 'abort',
  features: GENERIC_FEATURES,
  featuresFixed: false,
  llvmTarget: 'wasm32-unknown-unknown',
  dataLayout: DATA_LAYOUT,
  linker: {
    linker: 'rust-lld',
    flavor: 'wasm-lld',
    lldFlavor: 'wasm',
    preLinkArgs: {
      'wasm-lld': lldArgs(true, ['--no-entry']),
      'wasm-lld-cc': ccArgs(true, 'wasm32-unknown-unknown', ['-Wl,--no-entry']),
    },
  },
  cfg: { ...WASM_CFG, os: 'unknown', env: '' },
  hostNeeds: [],
  hostMay: [],
  specExtras: { 'relocation-model': 'static' },
};

const v1None: Def = {
  ...unknownUnknown,
  triple: 'wasm32v1-none',
  provenance: { verifiedWith: VERIFIED_95, references: ['https://doc.rust-lang.org/rustc/platform-support/wasm32v1-none.html', 'https://github.com/rust-lang/compiler-team/issues/791'] },
  summary: 'Core module limited to WebAssembly 1.0 (MVP) plus mutable-globals; no_std.',
  std: 'no_std',
  features: ['mutable-globals'],
  featuresFixed: true,
  cpu: 'mvp',
  cfg: { ...WASM_CFG, os: 'none', env: '' },
  specExtras: { ...unknownUnknown.specExtras, features: '+mutable-globals' },
};

const wasip3Tier2: Def = {
  ...as97(wasip3),
  rustc: { since: R100 },
  tier: 2,
  status: 'approved',
  provenance: {
    verifiedWith: [],
    references: ['https://github.com/rust-lang/rust/pull/161940', 'https://github.com/rust-lang/compiler-team/issues/1001', 'https://github.com/rust-lang/goals/issues/656'],
    note: 'Approved for tier 2 (expected stable in rustc 1.100); links with --cooperative-threading so std::thread can map to component-model cooperative threads. Not yet checked against a rustc.',
  },
  summary: 'Component using WASI 0.3, tier 2, with cooperative component threads.',
  threads: 'cooperative',
  linker: {
    ...as97(wasip3).linker,
    preLinkArgs: {
      'wasm-lld': [...lldArgs(false), '--cooperative-threading'],
      'wasm-lld-cc': [...ccArgs(false, undefined), '-Wl,--cooperative-threading'],
    },
  },
  hostMay: [...wasip3.hostMay, 'threading-builtins'],
};

const noneComponent: Def = {
  triple: 'wasm32-none-component',
  aliases: [
    {
      name: 'wasm32-component',
      notice: '`wasm32-component` (the Rust 2026 goal\'s name) was renamed in review to `wasm32-none-component` (compiler-team#948, rust-lang/rust#162615); using wasm32-none-component.',
    },
  ],
  rustc: { since: R95 },
  tier: 3,
  status: 'proposed',
  provenance: {
    verifiedWith: [],
    references: ['https://github.com/rust-lang/compiler-team/issues/948', 'https://github.com/rust-lang/rust/pull/162615', 'https://github.com/rust-lang/goals/issues/656'],
    note: 'From the proposal: os=none, linker wasm-component-ld, --no-entry, core+alloc, imports nothing by default. Other spec keys follow wasm32-unknown-unknown. Usable today as a custom target spec (targetSpecJson) with -Zbuild-std.',
  },
  summary: 'Component without WASI: core + alloc, imports and exports only what the code declares.',
  description: 'WebAssembly component without an OS',
  artifact: 'component',
  wasi: 'none',
  imports: { wasi: [], foreign: true },
  commandExports: 'any',
  requiredExports: [],
  std: 'no_std+alloc',
  threads: 'none',
  panicStrategy: 'abort',
  features: GENERIC_FEATURES,
  featuresFixed: false,
  llvmTarget: 'wasm32-unknown-unknown',
  dataLayout: DATA_LAYOUT,
  linker: {
    linker: 'wasm-component-ld',
    flavor: 'wasm-lld',
    lldFlavor: 'wasm',
    preLinkArgs: {
      'wasm-lld': lldArgs(true, ['--no-entry']),
      'wasm-lld-cc': ccArgs(true, 'wasm32-unknown-unknown', ['-Wl,--no-entry']),
    },
  },
  cfg: { ...WASM_CFG, os: 'none', env: '' },
  hostNeeds: COMPONENT,
  hostMay: ['async-builtins', 'stackful-lift'],
  specExtras: { 'relocation-model': 'static' },
};

const webp2: Def = {
  ...noneComponent,
  triple: 'wasm32-webp2',
  aliases: [
    {
      name: 'wasm32-component-web',
      notice: '`wasm32-component-web` (the Rust 2026 goal\'s name) is proposed as `wasm32-webp2` (compiler-team#1037); using wasm32-webp2.',
    },
  ],
  provenance: {
    verifiedWith: [],
    references: ['https://github.com/rust-lang/compiler-team/issues/1037', 'https://github.com/rust-lang/goals/issues/656'],
    note: 'From the proposal: a component, target_os="web", target_env="p2", full std implemented on web platform APIs. Which interfaces those are is not defined yet, so imports are open and WASI is refused.',
  },
  summary: 'Component for the web platform: full std on web APIs, `target_os = "web"`, `target_env = "p2"`.',
  description: 'WebAssembly component for the web platform',
  std: 'std',
  linker: {
    ...noneComponent.linker,
    preLinkArgs: { 'wasm-lld': lldArgs(true), 'wasm-lld-cc': ccArgs(true, undefined) },
  },
  cfg: { ...WASM_CFG, os: 'web', env: 'p2' },
  specExtras: {},
};

/**
 * Every definition in the registry, in display order: the WASI targets, the
 * bare core-module targets, then the proposed component targets; for one
 * triple, oldest rustc range first.
 */
export const DEFINITIONS: readonly TargetDefinition[] = Object.freeze([
  wasip1,
  as97(wasip1),
  wasip1Threads,
  as97(wasip1Threads),
  wasip2,
  as97(wasip2),
  wasip3,
  as97(wasip3, R100),
  wasip3Tier2,
  unknownUnknown,
  as97(unknownUnknown),
  v1None,
  as97(v1None),
  noneComponent,
  webp2,
]);

/** The triples of the registry, in display order, each once. */
export const TRIPLES: readonly string[] = Object.freeze([...new Set(DEFINITIONS.map((d) => d.triple))]);
