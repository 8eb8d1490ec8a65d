/**
 * The one place where instantiation asks for validation.
 *
 * The validator (`src/validate`, a separate part of this package) rejects
 * invalid components before any code runs, with the index spaces and types
 * resolved. Keeping the call behind this function means the instantiator
 * never duplicates the validator's work and can be switched to use the
 * validator's resolved types (`ComponentInfo`) in one place.
 *
 * Core modules are not validated here: `compile` compiles each of them with
 * the engine anyway, which validates them, and a failure becomes a
 * `ValidationError` there.
 *
 * @module
 */
import type { Component } from '@wasm-components/binary';
import { validateComponent } from '../validate/index.js';

/** Validates `component` (throws `ValidationError` when it is invalid). */
export function validateIfAvailable(component: Component): void {
  validateComponent(component, { validateCoreModules: false });
}
