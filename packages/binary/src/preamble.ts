/**
 * The 8-byte preamble shared by core modules and components
 * (`Binary.md#component-definitions`): the magic `\0asm`, a 16-bit version
 * and a 16-bit layer. Layer 0 is a core module (version 1), layer 1 a
 * component (version `0x0d` while the Component Model is pre-standard).
 *
 * @module
 */
import { DecodeError, DecodeErrorCode } from './errors.js';

/** `\0asm`. */
export const MAGIC: readonly number[] = [0x00, 0x61, 0x73, 0x6d];
/** Version field of a core module. */
export const CORE_VERSION = 1 as const;
/** Version field of a component (`0x0d`, the pre-standard binary version). */
export const COMPONENT_VERSION = 0x0d as const;
/** Layer field of each kind of binary. */
export const Layer = { module: 0, component: 1 } as const;
/** Name of a layer: `'module'` or `'component'`. */
export type LayerName = keyof typeof Layer;

/** What the preamble says about a binary. */
export interface Preamble {
  /** Core module or component. */
  readonly layer: LayerName;
  /** The version field (1 for modules, `0x0d` for components). */
  readonly version: number;
}

/**
 * Read the preamble at `offset` and say which kind of binary follows.
 * Throws a {@link DecodeError} for a wrong magic number or an unknown
 * version/layer pair, so callers can dispatch without guessing.
 */
export function readPreamble(bytes: Uint8Array, offset = 0): Preamble {
  if (bytes.length - offset < 8) {
    throw new DecodeError({
      code: DecodeErrorCode.UnexpectedEnd,
      offset: bytes.length,
      expected: 'the 8-byte preamble (magic \\0asm, version, layer)',
      found: `${Math.max(0, bytes.length - offset)} bytes`,
    });
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[offset + i] !== MAGIC[i]) {
      throw new DecodeError({
        code: DecodeErrorCode.Malformed,
        offset: offset + i,
        expected: 'magic number \\0asm',
        found: `0x${bytes[offset + i]!.toString(16).padStart(2, '0')}`,
      });
    }
  }
  const version = bytes[offset + 4]! | (bytes[offset + 5]! << 8);
  const layer = bytes[offset + 6]! | (bytes[offset + 7]! << 8);
  if (layer === Layer.module && version === CORE_VERSION) return { layer: 'module', version };
  if (layer === Layer.component && version === COMPONENT_VERSION) return { layer: 'component', version };
  throw new DecodeError({
    code: DecodeErrorCode.Malformed,
    offset: offset + 4,
    expected: 'version 1 layer 0 (core module) or version 0x0d layer 1 (component)',
    found: `version 0x${version.toString(16)} layer ${layer}`,
  });
}
