/**
 * Adapter to the `@webassemblyjs` tool family: get the `@webassemblyjs/ast`
 * program of any core module, including the modules nested in a component,
 * which `@webassemblyjs/wasm-parser` cannot open by itself.
 *
 * Exported from the subpath `@wasm-components/binary/webassemblyjs` so that
 * users of the main entry never load `@webassemblyjs/wasm-parser` (an
 * optional peer dependency). The parser reads the MVP core format only; a
 * module using later proposals makes it throw, and that error is passed on
 * as the `cause` of a {@link WebassemblyjsError}.
 *
 * @module
 */
import { decode as wasmParserDecode } from '@webassemblyjs/wasm-parser';
import { type Outline, sections } from './outline.js';
import { encode, type Binary } from './api.js';
import type { DecodeOptions } from './options.js';

/** Options passed through to `@webassemblyjs/wasm-parser`'s `decode`. */
export interface WebassemblyjsOptions {
  /** Skip function bodies (much faster when only the module's interface matters). */
  readonly ignoreCodeSection?: boolean;
  /** Skip data segments. */
  readonly ignoreDataSection?: boolean;
  /** Skip the `name` custom section. */
  readonly ignoreCustomNameSection?: boolean;
}

/** A webassemblyjs `Program` node (typed loosely: the parser ships no types). */
export interface WebassemblyjsProgram {
  readonly type: 'Program';
  readonly body: readonly { readonly type: string; readonly fields?: readonly unknown[]; readonly [key: string]: unknown }[];
}

/** One core module found in a binary, with its webassemblyjs AST. */
export interface WebassemblyjsModule {
  /**
   * Where the module sits: indices of the component sections followed from
   * the root (empty for a standalone module). `[2, 0]` is the module of section 0
   * of the component in section 2 of the root.
   */
  readonly path: readonly number[];
  /** Byte offset of the module in the input. */
  readonly offset: number;
  /** The module's bytes (a view into the input). */
  readonly bytes: Uint8Array;
  /** The `Program` node from `@webassemblyjs/wasm-parser`. */
  readonly program: WebassemblyjsProgram;
}

/** `@webassemblyjs/wasm-parser` failed on a module; `cause` holds its error. */
export class WebassemblyjsError extends Error {
  override readonly name = 'WebassemblyjsError' as const;
  /** Byte offset of the module that failed. */
  readonly offset: number;
  constructor(message: string, offset: number, cause: unknown) {
    super(message, { cause });
    this.offset = offset;
  }
}

/**
 * Parse every core module of a binary (a module, or a component with modules
 * nested at any depth) with `@webassemblyjs/wasm-parser`.
 *
 * @param input - bytes, or an AST from {@link decode} (encoded first)
 * @throws {@link DecodeError} if the bytes are not a well-formed binary,
 *   {@link WebassemblyjsError} if the parser rejects a module
 */
export function toWebassemblyjs(
  input: Uint8Array | Binary,
  options: WebassemblyjsOptions = {},
  decodeOptions?: Partial<DecodeOptions>,
): WebassemblyjsModule[] {
  const bytes = input instanceof Uint8Array ? input : encode(input);
  const out: WebassemblyjsModule[] = [];
  collect(bytes, sections(bytes, decodeOptions), [], options, out);
  return out;
}

function collect(bytes: Uint8Array, outline: Outline, path: number[], options: WebassemblyjsOptions, out: WebassemblyjsModule[]): void {
  if (outline.kind === 'module') {
    const view = bytes.subarray(outline.offset, outline.offset + outline.size);
    let program: WebassemblyjsProgram;
    try {
      program = wasmParserDecode(copyToArrayBuffer(view), { ...options }) as WebassemblyjsProgram;
    } catch (e) {
      throw new WebassemblyjsError(
        `@webassemblyjs/wasm-parser could not read the core module at byte ${outline.offset}: ${e instanceof Error ? e.message : String(e)}`,
        outline.offset,
        e,
      );
    }
    out.push({ path, offset: outline.offset, bytes: view, program });
    return;
  }
  outline.sections.forEach((s, i) => {
    if (s.nested !== undefined) collect(bytes, s.nested, [...path, i], options, out);
  });
}

// The parser indexes an ArrayBuffer-like from 0, so give it exactly the module's bytes.
function copyToArrayBuffer(view: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(view.length);
  copy.set(view);
  return copy.buffer;
}
