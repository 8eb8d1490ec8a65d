/**
 * `component-type*` custom sections: how wit-component carries a WIT world
 * inside a binary (a core module produced by a bindings generator, before
 * `wasm-tools component new`, or a component that re-embeds it).
 *
 * The section's name starts with `component-type` (bindings generators add
 * `:<generator>:<version>:<package>:<world>:encoded world` after it) and its
 * contents are a whole component binary, preamble included: a type-only
 * component that exports the world as a component type. Inside it, the first
 * section is normally a custom section `wit-component-encoding` of two bytes,
 * the metadata format version and the string encoding the bindings use; see
 * {@link witComponentEncoding}.
 *
 * Decoding turns the contents into a {@link Component} so tools can read the
 * world's types without a second parse; contents that do not parse as a
 * component (older formats put a version byte first) stay raw.
 *
 * @module
 */
import { isDecodeError } from '../errors.js';
import { type DecodeOptions, resolveDecodeOptions } from '../options.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { Component } from './ast.js';
import { readComponent } from './decode.js';
import { writeComponent } from './encode.js';

/** Prefix of the names of the custom sections this module decodes. */
export const COMPONENT_TYPE_SECTION_PREFIX = 'component-type';

/** Name of the custom section inside the payload that records the metadata version and string encoding. */
export const WIT_COMPONENT_ENCODING_SECTION = 'wit-component-encoding';

/** True if a custom section of this name holds an encoded WIT world. */
export function isComponentTypeSectionName(name: string): boolean {
  return name.startsWith(COMPONENT_TYPE_SECTION_PREFIX);
}

/** True if `data` starts with a component preamble (`\0asm 0d 00 01 00`). */
export function hasComponentPreamble(data: Uint8Array, offset = 0): boolean {
  return (
    data.length - offset >= 8 &&
    data[offset] === 0x00 &&
    data[offset + 1] === 0x61 &&
    data[offset + 2] === 0x73 &&
    data[offset + 3] === 0x6d &&
    data[offset + 4] === 0x0d &&
    data[offset + 5] === 0x00 &&
    data[offset + 6] === 0x01 &&
    data[offset + 7] === 0x00
  );
}

/**
 * Read the contents of a `component-type*` custom section at `r.pos` (a whole
 * component, preamble included) up to `r.end`, strictly.
 *
 * @throws {@link DecodeError} if the contents are not a well-formed component
 */
export function readComponentTypePayload(r: Reader): Component {
  const c = readComponent(r);
  if (!r.atEnd()) r.fail('end of the component-type payload', `${r.remaining} more bytes`);
  return c;
}

/** Write the contents of a `component-type*` custom section (the component, preamble included). */
export function writeComponentTypePayload(w: Writer, c: Component): void {
  writeComponent(w, c);
}

/**
 * Decode the contents of a `component-type*` custom section (given as raw
 * bytes, e.g. from a core module's custom section) into a component.
 *
 * @returns the component, or `undefined` if the bytes are not a well-formed component
 */
export function decodeComponentTypePayload(data: Uint8Array, options?: Partial<DecodeOptions>): Component | undefined {
  if (!hasComponentPreamble(data)) return undefined;
  try {
    return readComponent(new Reader(data, resolveDecodeOptions(options)));
  } catch (e) {
    if (isDecodeError(e)) return undefined;
    throw e;
  }
}

/** Encode a component as the contents of a `component-type*` custom section (the inverse of {@link decodeComponentTypePayload}). */
export function encodeComponentTypePayload(c: Component): Uint8Array {
  const w = new Writer(256);
  writeComponent(w, c);
  return w.finish();
}

/**
 * Try to read the payload of a `component-type*` custom section at `r.pos`
 * up to `r.end` without disturbing `r` when it fails: the attempt runs on a
 * second reader over the same bytes (so offsets stay absolute) at the same
 * depth. On success `r.pos` moves to the end of the payload.
 *
 * The payload's own sections are padding scopes of their own, so nothing is
 * recorded in the enclosing custom section's scope either way.
 */
export function tryReadComponentTypePayload(r: Reader): Component | undefined {
  if (!hasComponentPreamble(r.bytes.subarray(0, r.end), r.pos)) return undefined;
  const sub = new Reader(r.bytes, r.options, r.pos, r.end);
  sub.depth = r.depth;
  try {
    const c = readComponent(sub);
    if (sub.pos !== r.end) return undefined;
    r.pos = sub.pos;
    return c;
  } catch (e) {
    if (isDecodeError(e)) return undefined;
    throw e;
  }
}

/** What the `wit-component-encoding` section of a `component-type*` payload says. */
export interface WitComponentEncoding {
  /** Metadata format version (4 at the time of writing). */
  readonly version: number;
  /** The string encoding the bindings use; a number if it is not one of the known codes. */
  readonly stringEncoding: 'utf8' | 'utf16' | 'latin1+utf16' | number;
}

/**
 * Read the metadata version and string encoding from a decoded
 * `component-type*` payload, so a tool can tell which canonical options a
 * `component new` would pick without depending on wit-component.
 *
 * @returns `undefined` if the payload has no well-formed `wit-component-encoding` section
 */
export function witComponentEncoding(c: Component): WitComponentEncoding | undefined {
  for (const s of c.sections) {
    if (s.kind !== 'custom' || s.name !== WIT_COMPONENT_ENCODING_SECTION) continue;
    if (s.data.length < 2) return undefined;
    const v = s.data[0]!;
    const e = s.data[1]!;
    const stringEncoding = e === 0 ? 'utf8' : e === 1 ? 'utf16' : e === 2 ? 'latin1+utf16' : e;
    return { version: v, stringEncoding };
  }
  return undefined;
}
