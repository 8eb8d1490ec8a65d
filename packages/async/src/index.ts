/**
 * `@wasm-components/async`: the async part of the Component Model's
 * Canonical ABI (`CanonicalABI.md`, `Async.md`) for JavaScript hosts.
 *
 * @packageDocumentation
 */

/** The package's version, for diagnostics. */
export const VERSION: string = '0.0.0';
