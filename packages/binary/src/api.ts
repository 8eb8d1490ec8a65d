/**
 * The entry points most users need: {@link decode} any binary into a typed
 * AST, {@link encode} it back (byte-exact for anything `decode` accepted),
 * and {@link walk} every module and component nested inside.
 *
 * @module
 */
import { readComponent } from './component/decode.js';
import { writeComponent } from './component/encode.js';
import type { Component } from './component/ast.js';
import { readModule } from './core/decode.js';
import { writeModule } from './core/encode.js';
import type { Module } from './core/ast.js';
import { EncodeError } from './errors.js';
import { type DecodeOptions, resolveDecodeOptions } from './options.js';
import { readPreamble } from './preamble.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/** A decoded binary: a core module or a component. */
export type Binary = Module | Component;

/**
 * Decode a core module or a component, chosen by the preamble's layer field.
 *
 * @param bytes - the whole binary
 * @param options - limits and the opt-in instruction decoder, see {@link DecodeOptions}
 * @returns the typed AST; `encode` of it gives back `bytes` exactly
 * @throws {@link DecodeError} (and nothing else) if the bytes are not a well-formed binary
 */
export function decode(bytes: Uint8Array, options?: Partial<DecodeOptions>): Binary {
  const pre = readPreamble(bytes);
  const r = new Reader(bytes, resolveDecodeOptions(options));
  return pre.layer === 'module' ? readModule(r) : readComponent(r);
}

/** Decode bytes that must be a core module. @throws {@link DecodeError} otherwise. */
export function decodeModule(bytes: Uint8Array, options?: Partial<DecodeOptions>): Module {
  const pre = readPreamble(bytes);
  const r = new Reader(bytes, resolveDecodeOptions(options));
  if (pre.layer !== 'module') r.fail('a core module (layer 0)', 'a component', 6);
  return readModule(r);
}

/** Decode bytes that must be a component. @throws {@link DecodeError} otherwise. */
export function decodeComponent(bytes: Uint8Array, options?: Partial<DecodeOptions>): Component {
  const pre = readPreamble(bytes);
  const r = new Reader(bytes, resolveDecodeOptions(options));
  if (pre.layer !== 'component') r.fail('a component (layer 1)', 'a core module', 6);
  return readComponent(r);
}

/**
 * Encode a module or component AST to bytes.
 *
 * @throws {@link EncodeError} if a node breaks a rule of the format (an unknown `kind`, a value out of range)
 */
export function encode(node: Binary): Uint8Array {
  const w = new Writer(4096);
  if (node.kind === 'module') writeModule(w, node);
  else if (node.kind === 'component') writeComponent(w, node);
  else throw new EncodeError(`a node of kind 'module' or 'component', found ${String((node as { kind?: unknown }).kind)}`, '');
  return w.finish();
}
