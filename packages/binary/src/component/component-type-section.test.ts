import { componentEmbed, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { Component } from './ast.js';
import {
  readComponentTypePayload,
  writeComponentTypePayload,
  decodeComponentTypePayload,
  encodeComponentTypePayload,
  hasComponentPreamble,
  isComponentTypeSectionName,
  witComponentEncoding,
} from './component-type-section.js';
import { readComponent } from './decode.js';
import { writeComponent } from './encode.js';

/** Find a custom section's contents in a core module the simple way (sections are id, size, contents). */
function coreCustomSection(bytes: Uint8Array, prefix: string): { name: string; data: Uint8Array } | undefined {
  let p = 8;
  const leb = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v >>> 0;
      shift += 7;
    }
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = leb();
    const end = p + size;
    if (id === 0) {
      const n = leb();
      const name = new TextDecoder().decode(bytes.subarray(p, p + n));
      if (name.startsWith(prefix)) return { name, data: bytes.subarray(p + n, end) };
    }
    p = end;
  }
  return undefined;
}

function wrapInCustomSection(name: string, payload: Uint8Array): Uint8Array {
  const w = new Writer();
  for (const b of [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]) w.u8(b);
  w.u8(0);
  const m = w.beginLength();
  w.name(name).bytes(payload);
  w.endLength(m);
  return w.finish();
}

describe('component-type custom sections', () => {
  it.each([
    ['component-type', true],
    ['component-type:wit-bindgen:0.41.0:a:b:w:encoded world', true],
    ['component-name', false],
    ['producers', false],
  ] as const)('should say whether %s names an encoded world', (name, yes) => {
    expect(isComponentTypeSectionName(name)).toBe(yes);
  });

  it('should decode the world that componentEmbed puts in a core module', async () => {
    const m = await componentEmbed({ witSource: 'package a:b; world w { import f: func(x: string) -> u32; export g: func(); }', dummy: true, world: 'w' });
    const sec = coreCustomSection(m, 'component-type')!;
    expect(sec).toBeDefined();
    expect(hasComponentPreamble(sec.data)).toBe(true);
    const c = decodeComponentTypePayload(sec.data)!;
    expect(c.kind).toBe('component');
    expect(witComponentEncoding(c)).toEqual({ version: 4, stringEncoding: 'utf8' });
    expect(c.sections.some((s) => s.kind === 'type')).toBe(true);
    expect(c.sections.some((s) => s.kind === 'export')).toBe(true);
    expect(encodeComponentTypePayload(c)).toEqual(new Uint8Array(sec.data));

    // Inside a component, the same section decodes to a typed node and round-trips.
    const bytes = wrapInCustomSection(sec.name, sec.data);
    const outer = readComponent(new Reader(bytes));
    expect(outer.sections[0]).toMatchObject({ kind: 'component-type-custom', name: sec.name });
    const w = new Writer();
    writeComponent(w, outer);
    expect(w.finish()).toEqual(bytes);
  });

  it('should read and write a payload strictly with readComponentTypePayload', async () => {
    const inner = await parse('(component (type (list u8)) (export "t" (type 0)))');
    const c = readComponentTypePayload(new Reader(inner));
    const w = new Writer();
    writeComponentTypePayload(w, c);
    expect(w.finish()).toEqual(inner);
    expect(() => readComponentTypePayload(new Reader(inner.subarray(0, 5)))).toThrow(/preamble/);
  });

  it('should keep a component-type section raw when its payload is not a component', () => {
    const bytes = wrapInCustomSection('component-type:old', new Uint8Array([0x03, 0x00, 0x01, 0x61]));
    const c = readComponent(new Reader(bytes));
    expect(c.sections[0]).toMatchObject({ kind: 'custom', name: 'component-type:old' });
    expect(decodeComponentTypePayload(new Uint8Array([0x03, 0x00]))).toBeUndefined();
  });

  it('should keep a component-type section raw when the component inside is truncated', async () => {
    const inner = await parse('(component (type (list u8)))');
    const bytes = wrapInCustomSection('component-type', inner.subarray(0, inner.length - 1));
    const c = readComponent(new Reader(bytes));
    expect(c.sections[0]).toMatchObject({ kind: 'custom' });
    const w = new Writer();
    writeComponent(w, c);
    expect(w.finish()).toEqual(bytes);
  });

  it.each([
    [[0x04, 0x01], { version: 4, stringEncoding: 'utf16' }],
    [[0x04, 0x02], { version: 4, stringEncoding: 'latin1+utf16' }],
    [[0x03, 0x09], { version: 3, stringEncoding: 9 }],
  ] as const)('should read the wit-component-encoding bytes %j', (data, expected) => {
    const c: Component = { kind: 'component', sections: [{ kind: 'custom', name: 'wit-component-encoding', data: new Uint8Array(data) }] };
    expect(witComponentEncoding(c)).toEqual(expected);
  });

  it('should say there is no encoding info when the section is missing or short', () => {
    expect(witComponentEncoding({ kind: 'component', sections: [] })).toBeUndefined();
    expect(witComponentEncoding({ kind: 'component', sections: [{ kind: 'custom', name: 'wit-component-encoding', data: new Uint8Array([4]) }] })).toBeUndefined();
  });
});
