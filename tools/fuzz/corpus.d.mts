import type { CorpusEntry } from './lib.mjs';

/** Path of the packed reference-suite corpus. */
export declare const SUITE_PACK: string;

/**
 * Fixtures (and their nested core modules) plus the reference suite's components. `large` adds the
 * componentize-js component (built on demand, ~12 MB).
 */
export declare function loadCorpus(options?: { large?: boolean }): Promise<CorpusEntry[]>;
