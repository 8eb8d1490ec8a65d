/** The parts of @wasm-components/binary that the fuzzer drives (built package or sources). */
export interface FuzzApi {
  decode(bytes: Uint8Array, options?: { instructions?: boolean }): unknown;
  encode(ast: never): Uint8Array;
  sections?(bytes: Uint8Array): unknown;
  isDecodeError(e: unknown): e is { code: string; offset: number; message: string };
}

/** One input of the corpus. */
export interface CorpusEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface Rng {
  next(): number;
  int(n: number): number;
  chance(p: number): boolean;
}

export interface Failure {
  readonly kind: string;
  readonly mode: string;
  readonly detail: string;
}

export interface CaseResult {
  readonly input: string;
  readonly edits: string[];
  readonly bytes: Uint8Array;
  readonly ms: number;
  /** 'accepted', 'rejected:CODE' or 'failed'. */
  readonly plain: string;
  readonly instructions: string;
  /** When the instructions mode rejected: what the decoder expected (DecodeError.expected). */
  readonly instructionsExpected?: string;
  readonly failures: Failure[];
}

export interface Stats {
  cases: number;
  default: Record<string, number>;
  instructions: Record<string, number>;
  failures: number;
  inconsistent: number;
  slowest: { ms: number; caseIndex: number };
}

export declare function createRng(seed: number): Rng;
export declare function caseSeed(seed: number, caseIndex: number): number;
export declare function mutate(input: Uint8Array, rng: Rng): { bytes: Uint8Array; edits: string[] };
export declare function checkDecode(
  api: FuzzApi,
  bytes: Uint8Array,
  options: { instructions?: boolean } | undefined,
): { accepted: true } | { accepted: false; code: string; expected: string } | { failure: { kind: string; detail: string } };
export declare function checkOutline(api: FuzzApi, bytes: Uint8Array, decodeAccepted: boolean): { kind: string; detail: string } | undefined;
export declare function runCase(
  api: FuzzApi,
  corpus: readonly CorpusEntry[],
  seed: number,
  caseIndex: number,
  options?: { timeLimitMs?: number },
): CaseResult;
export declare function createStats(): Stats;
export declare function record(stats: Stats, result: CaseResult, caseIndex: number): void;
export declare function makeCase(
  corpus: readonly CorpusEntry[],
  seed: number,
  caseIndex: number,
): { input: CorpusEntry; bytes: Uint8Array; edits: string[] };
export declare function checkSeeds(
  api: FuzzApi,
  corpus: readonly CorpusEntry[],
  onInput?: (index: number) => void,
): { name: string; mode: string; severity: 'failure' | 'conformance'; result: { kind: string; detail: string } }[];

/** True for corpus inputs that the reference suite asserts to be malformed. */
export declare function isMalformedInput(name: string): boolean;
/** True for inputs a decoder may accept or reject (suite `assert_invalid`, crafted limit cases). */
export declare function isInvalidInput(name: string): boolean;
/** Hand-made inputs at and past the nesting limits (components, blocks, instance types). */
export declare function craftedInputs(): CorpusEntry[];
