// Exact round trips of real binaries built from the project's own sources (tools/fixtures, tools/fixtures-rust)
// and of the large componentize-js component, through the public entry points.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtures, LARGE_COMPONENT_PATH } from '../../../tools/fixtures/index.mjs';
import { decode, encode, modules, sections } from '../src/index.js';

const rustDir = new URL('../../../tools/fixtures-rust/bin/', import.meta.url);
const rust = existsSync(rustDir)
  ? readdirSync(rustDir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => ({ name: `rust/${f}`, path: new URL(f, rustDir).pathname }))
  : [];
const all = [...fixtures.map((f) => ({ name: f.name, path: f.path })), ...rust, { name: 'large (componentize-js)', path: LARGE_COMPONENT_PATH }];

describe(`real binaries (${all.length})`, () => {
  it.each(all)('should round-trip $name byte-exact, with and without instructions', ({ path }) => {
    expect(existsSync(path), `${path} exists (npm test builds the large one first)`).toBe(true);
    const bytes = new Uint8Array(readFileSync(path));
    const ast = decode(bytes);
    // Buffer.equals, not toEqual: a deep compare of 12 MB element by element takes a minute.
    expect(Buffer.from(encode(ast)).equals(bytes)).toBe(true);
    expect(Buffer.from(encode(decode(bytes, { instructions: true }))).equals(bytes)).toBe(true);
    // interfaceOnly: code and data raw, same bytes back, same interface sections
    const lean = decode(bytes, { interfaceOnly: true });
    expect(Buffer.from(encode(lean)).equals(bytes)).toBe(true);
    const kinds = (root: typeof ast): string[] => modules(root).flatMap((m) => m.module.sections.map((s) => s.kind));
    const full = kinds(ast);
    const raw = kinds(lean);
    expect(raw.filter((k) => k !== 'raw' && k !== 'custom')).toEqual(full.filter((k) => k !== 'code' && k !== 'data' && k !== 'custom' && k !== 'name'));
    expect(raw.filter((k) => k === 'raw').length).toBe(full.filter((k) => k === 'code' || k === 'data').length);
    const outline = sections(bytes);
    expect(outline.kind).toBe(ast.kind);
    expect(outline.sections.length).toBe(ast.sections.length);
    if (ast.kind === 'component') expect(modules(ast).length).toBeGreaterThan(0);
  }, 120_000);
});
