/**
 * Encoding of component ASTs, the mirror of `decode.ts`: the preamble, then
 * each section as `id size contents`, writing exactly the LEB128 values the
 * decoder read, in the same order, inside one padding scope per section, so
 * that `encode(decode(bytes))` gives `bytes` back.
 *
 * @module
 */
import { EncodeError } from '../errors.js';
import type { Writer } from '../writer.js';
import { writeModule } from '../core/encode.js';
import { writeAlias } from './alias.js';
import type { Component, ComponentExport, ComponentSection } from './ast.js';
import { ComponentSectionKindId } from './ast.js';
import { writeCanon } from './canon.js';
import { COMPONENT_PREAMBLE } from './decode.js';
import { writeExternDesc, writeExternName, writeSort } from './externs.js';
import { writeCoreInstance, writeInstance } from './instances.js';
import { COMPONENT_NAME_SECTION, writeComponentNameSection } from './name-section.js';
import { writeComponentValType, writeCoreTypeDef, writeTypeDef } from './types.js';

/** Write a component: the preamble, then its sections in order. */
export function writeComponent(w: Writer, c: Component): void {
  for (const b of COMPONENT_PREAMBLE) w.u8(b);
  const sections = c.sections;
  for (let i = 0; i < sections.length; i++) {
    try {
      writeComponentSection(w, sections[i]!);
    } catch (e) {
      if (e instanceof EncodeError && !e.path.startsWith('sections[')) {
        throw new EncodeError(e.message, `sections[${i}]`, { cause: e });
      }
      throw e;
    }
  }
}

function sectionId(s: ComponentSection): number {
  switch (s.kind) {
    case 'custom':
    case 'component-name':
    case 'component-type-custom':
      return ComponentSectionKindId.custom;
    default: {
      const id = (ComponentSectionKindId as Record<string, number>)[s.kind];
      if (id === undefined) throw new EncodeError(`unknown component section kind ${String((s as { kind?: unknown }).kind)}`);
      return id;
    }
  }
}

function vec<T>(w: Writer, items: readonly T[], item: (w: Writer, x: T) => void): void {
  w.u32(items.length);
  for (const x of items) item(w, x);
}

/** Write one section: its id, then (in the section's padding scope) its size and contents. */
export function writeComponentSection(w: Writer, s: ComponentSection): void {
  w.u8(sectionId(s));
  const m = w.beginPadding(s.padding);
  const len = w.beginLength();
  switch (s.kind) {
    case 'custom':
      w.name(s.name).bytes(s.data);
      break;
    case 'component-name':
      w.name(COMPONENT_NAME_SECTION);
      writeComponentNameSection(w, s.names);
      break;
    case 'component-type-custom':
      w.name(s.name);
      writeComponent(w, s.component);
      break;
    case 'core-module':
      writeModule(w, s.module);
      break;
    case 'core-instance':
      vec(w, s.instances, writeCoreInstance);
      break;
    case 'core-type':
      vec(w, s.types, writeCoreTypeDef);
      break;
    case 'nested-component':
      writeComponent(w, s.component);
      break;
    case 'instance':
      vec(w, s.instances, writeInstance);
      break;
    case 'alias':
      vec(w, s.aliases, writeAlias);
      break;
    case 'type':
      vec(w, s.types, writeTypeDef);
      break;
    case 'canon':
      vec(w, s.functions, writeCanon);
      break;
    case 'start':
      w.u32(s.func);
      vec(w, s.args, (w, a) => w.u32(a));
      w.u32(s.results);
      break;
    case 'import':
      vec(w, s.imports, (w, i) => {
        writeExternName(w, i.name);
        writeExternDesc(w, i.desc);
      });
      break;
    case 'export':
      vec(w, s.exports, writeExport);
      break;
    case 'value':
      vec(w, s.values, (w, v) => {
        writeComponentValType(w, v.type);
        w.u32(v.bytes.length).bytes(v.bytes);
      });
      break;
    default:
      throw new EncodeError(`unknown component section kind ${String((s as { kind?: unknown }).kind)}`);
  }
  w.endLength(len);
  w.endPadding(m);
}

function writeExport(w: Writer, e: ComponentExport): void {
  writeExternName(w, e.name);
  writeSort(w, e.sort);
  w.u32(e.index);
  if (e.desc === undefined) w.u8(0x00);
  else {
    w.u8(0x01);
    writeExternDesc(w, e.desc);
  }
}
