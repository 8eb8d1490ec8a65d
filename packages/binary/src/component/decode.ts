/**
 * Decoding of component binaries (`Binary.md#component-definitions`):
 * the preamble, then sections up to the end of the current region.
 *
 * Each section is one padding scope (see `reader.ts`): the scope begins
 * before the section's size field, so the size and every LEB128 inside the
 * section (but not inside a nested module or component, whose sections have
 * scopes of their own) are recorded on the section node.
 *
 * Hostile input can only produce a {@link DecodeError}: every count goes
 * through `r.count`, every nesting through `r.push`/`r.pop`.
 *
 * @module
 */
import { DecodeError, DecodeErrorCode, isDecodeError } from '../errors.js';
import { Reader, hex } from '../reader.js';
import { readModule } from '../core/decode.js';
import { readAlias } from './alias.js';
import type { Alias } from './alias.js';
import type {
  Component,
  ComponentExport,
  ComponentImport,
  ComponentSection,
  ComponentValue,
} from './ast.js';
import { type CanonicalFunction, readCanon } from './canon.js';
import { tryReadComponentTypePayload, isComponentTypeSectionName } from './component-type-section.js';
import { readExternDesc, readExternName, readSort } from './externs.js';
import { type CoreInstance, type Instance, readCoreInstance, readInstance } from './instances.js';
import { COMPONENT_NAME_SECTION, type ComponentNameSection, readComponentNameSection } from './name-section.js';
import { type CoreTypeDef, type TypeDef, readComponentValType, readCoreTypeDef, readTypeDef } from './types.js';

/** The 8 bytes every component starts with: magic, version `0x0d 0x00`, layer `0x01 0x00`. */
export const COMPONENT_PREAMBLE: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** Read the component preamble at `r.pos`, failing with a typed error naming the bad byte. */
export function readComponentPreamble(r: Reader): void {
  const start = r.pos;
  if (r.remaining < 8) {
    throw new DecodeError({
      code: DecodeErrorCode.UnexpectedEnd,
      offset: r.end,
      expected: 'the 8-byte component preamble (\\0asm, version 0x0d 0x00, layer 0x01 0x00)',
      found: `${Math.max(0, r.remaining)} bytes`,
    });
  }
  for (let i = 0; i < 8; i++) {
    const b = r.bytes[start + i]!;
    if (b !== COMPONENT_PREAMBLE[i]) {
      const what = i < 4 ? 'magic number \\0asm' : i < 6 ? 'component version 0x0d 0x00' : 'component layer 0x01 0x00';
      r.fail(what, hex(b), start + i);
    }
  }
  r.pos = start + 8;
}

/**
 * Read a component: the preamble at `r.pos`, then sections up to `r.end`.
 * Used for the top-level binary and, recursively, for nested components.
 *
 * @throws {@link DecodeError} (and nothing else) on malformed input
 */
export function readComponent(r: Reader): Component {
  r.push('component');
  readComponentPreamble(r);
  const sections: ComponentSection[] = [];
  while (!r.atEnd()) sections.push(readComponentSection(r));
  r.pop();
  return { kind: 'component', sections };
}

function vec<T>(r: Reader, what: string, minItemBytes: number, item: (r: Reader) => T): T[] {
  const n = r.count(what, minItemBytes);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}

/**
 * Run `parse` over the region `r.pos..r.end` on a throwaway reader first and
 * only then on `r`: a custom section's contents are allowed to be garbage,
 * and a failed attempt on `r` itself would leave LEB128 records of the
 * section's padding scope behind. Returns `undefined` if it fails.
 */
function tryTwice<T>(r: Reader, parse: (r: Reader) => T): T | undefined {
  const probe = new Reader(r.bytes, r.options, r.pos, r.end);
  probe.depth = r.depth;
  try {
    parse(probe);
  } catch (e) {
    if (isDecodeError(e)) return undefined;
    throw e;
  }
  if (probe.pos !== r.end) return undefined;
  return parse(r);
}

/** Read one section: its id, then (in a new padding scope) its size and contents. */
export function readComponentSection(r: Reader): ComponentSection {
  const offset = r.pos;
  const id = r.u8('section id');
  if (id > 12) r.fail('section id (0..12)', hex(id), offset);
  const m = r.beginPadding();
  const size = r.u32('section size');
  const saved = r.enter(size, 'section');
  let s: ComponentSection;
  switch (id) {
    case 0: {
      const name = r.name('custom section name');
      const at = r.pos;
      let names: ComponentNameSection | undefined;
      let component: Component | undefined;
      if (name === COMPONENT_NAME_SECTION) {
        names = tryTwice(r, readComponentNameSection);
      } else if (isComponentTypeSectionName(name)) {
        component = tryReadComponentTypePayload(r);
      }
      if (names !== undefined) s = { kind: 'component-name', names, offset };
      else if (component !== undefined) s = { kind: 'component-type-custom', name, component, offset };
      else {
        r.pos = at;
        s = { kind: 'custom', name, data: r.bytesN(r.end - r.pos, 'custom section contents'), offset };
      }
      break;
    }
    case 1: {
      r.push('core module');
      const module = readModule(r);
      r.pop();
      s = { kind: 'core-module', module, offset };
      break;
    }
    case 2:
      s = { kind: 'core-instance', instances: vec<CoreInstance>(r, 'core instances', 2, readCoreInstance), offset };
      break;
    case 3:
      s = { kind: 'core-type', types: vec<CoreTypeDef>(r, 'core types', 2, readCoreTypeDef), offset };
      break;
    case 4:
      s = { kind: 'nested-component', component: readComponent(r), offset };
      break;
    case 5:
      s = { kind: 'instance', instances: vec<Instance>(r, 'instances', 2, readInstance), offset };
      break;
    case 6:
      s = { kind: 'alias', aliases: vec<Alias>(r, 'aliases', 4, readAlias), offset };
      break;
    case 7:
      s = { kind: 'type', types: vec<TypeDef>(r, 'types', 1, readTypeDef), offset };
      break;
    case 8:
      s = { kind: 'canon', functions: vec<CanonicalFunction>(r, 'canonical functions', 1, readCanon), offset };
      break;
    case 9: {
      const func = r.u32('func index');
      const args = vec(r, 'start arguments', 1, (r) => r.u32('value index'));
      s = { kind: 'start', func, args, results: r.u32('start result count'), offset };
      break;
    }
    case 10:
      s = { kind: 'import', imports: vec<ComponentImport>(r, 'imports', 4, readImport), offset };
      break;
    case 11:
      s = { kind: 'export', exports: vec<ComponentExport>(r, 'exports', 5, readExport), offset };
      break;
    default:
      s = { kind: 'value', values: vec<ComponentValue>(r, 'values', 2, readValue), offset };
      break;
  }
  r.leave(saved, 'section');
  const padding = r.endPadding(m);
  return padding === undefined ? s : { ...s, padding };
}

function readImport(r: Reader): ComponentImport {
  const name = readExternName(r);
  return { name, desc: readExternDesc(r) };
}

function readExport(r: Reader): ComponentExport {
  const name = readExternName(r);
  const sort = readSort(r);
  const index = r.u32('index');
  const at = r.pos;
  const b = r.u8('optional export type');
  if (b === 0x00) return { name, sort, index };
  if (b === 0x01) return { name, sort, index, desc: readExternDesc(r) };
  return r.fail('optional export type (0x00 none or 0x01 externdesc)', hex(b), at);
}

function readValue(r: Reader): ComponentValue {
  const type = readComponentValType(r);
  const len = r.u32('value length');
  return { type, bytes: r.bytesN(len, 'value bytes') };
}
