import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Directive, type WastValue, modulesOf, parseWast } from './index.js';

// The reference suite (WebAssembly/component-model `test/`); override with COMPONENT_MODEL_TESTS.
const suiteDir = process.env['COMPONENT_MODEL_TESTS'] ?? fileURLToPath(new URL('../../../../shared/component-model/test/', import.meta.url));

function wastFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.wast'))
    .map((f) => join(dir, f))
    .sort();
}

function valueKinds(v: WastValue, out: Set<string>): void {
  out.add(v.kind);
  if (v.kind === 'list' || v.kind === 'tuple') for (const x of v.items) valueKinds(x, out);
  else if (v.kind === 'record') for (const f of v.fields) valueKinds(f.value, out);
  else if ((v.kind === 'variant' || v.kind === 'option' || v.kind === 'result') && v.value !== undefined) valueKinds(v.value, out);
}

describe.skipIf(!existsSync(suiteDir))('the component-model suite', () => {
  const files = existsSync(suiteDir) ? wastFiles(suiteDir) : [];

  it('should find the 63 .wast files', () => {
    expect(files.length).toBe(63);
  });

  it('should parse every file, with the expected number of directives of each kind', () => {
    const counts: Record<string, number> = {};
    const forms: Record<string, number> = {};
    let modules = 0;
    for (const f of files) {
      const script = parseWast(readFileSync(f, 'utf8'), relative(suiteDir, f));
      for (const d of script.directives) {
        const key = d.kind === 'component' || d.kind === 'module' ? `${d.kind}${d.definition ? ' definition' : ''}` : d.kind;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      for (const o of modulesOf(script)) {
        modules++;
        const k = `${o.module.kind} ${o.module.form}`;
        forms[k] = (forms[k] ?? 0) + 1;
      }
    }
    expect(counts).toMatchInlineSnapshot(`
      {
        "assert_invalid": 380,
        "assert_malformed": 75,
        "assert_return": 389,
        "assert_trap": 136,
        "component": 196,
        "component definition": 89,
        "instance": 159,
        "invoke": 1,
      }
    `);
    expect(forms).toMatchInlineSnapshot(`
      {
        "component binary": 123,
        "component quote": 5,
        "component text": 614,
      }
    `);
    expect(modules).toMatchInlineSnapshot(`742`);
  });

  it('should parse every invoke argument and assert_return result into a known value kind', () => {
    const kinds = new Set<string>();
    let values = 0;
    const visitAction = (d: Directive): void => {
      const a = d.kind === 'assert_return' ? d.action : d.kind === 'assert_trap' && d.target.kind === 'invoke' ? d.target : d.kind === 'invoke' ? d : undefined;
      if (a?.kind === 'invoke') for (const v of a.args) (values++, valueKinds(v, kinds));
      if (d.kind === 'assert_return') for (const v of d.results) (values++, valueKinds(v, kinds));
    };
    for (const f of files) for (const d of parseWast(readFileSync(f, 'utf8')).directives) visitAction(d);
    expect(values).toMatchInlineSnapshot(`529`);
    expect([...kinds].sort()).toMatchInlineSnapshot(`
      [
        "bool",
        "char",
        "enum",
        "flags",
        "float",
        "int",
        "list",
        "option",
        "record",
        "result",
        "string",
        "tuple",
        "variant",
      ]
    `);
  });
});
