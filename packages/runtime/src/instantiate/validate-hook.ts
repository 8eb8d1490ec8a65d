/**
 * The one place where instantiation asks for validation.
 *
 * The validator (`src/validate`, a separate part of this package) rejects
 * invalid components before any code runs. Until it is wired in, this hook
 * accepts everything: the instantiation walk still rejects what it cannot
 * execute (bad indices, wrong sorts) with `ValidationError`s, but it does
 * not type-check. Keeping the call behind this function means switching it
 * on is a one-line change and nothing else duplicates the validator's work.
 *
 * @module
 */
import type { Component } from '@wasm-components/binary';

/** Validates `component` when the validator is available; a no-op otherwise. */
export function validateIfAvailable(component: Component): void {
  void component;
}
