import { describe, expect, it } from 'vitest';
import { isWastSyntaxError, modulesOf, parseFloatLiteral, parseIntLiteral, parseWast, tokenize } from './index.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('tokenize', () => {
  it.each([
    ['"\\00asm"', bytes(0, 0x61, 0x73, 0x6d)],
    ['"\\t\\n\\r\\"\\\'\\\\"', bytes(9, 10, 13, 0x22, 0x27, 0x5c)],
    ['"\\u{1F370}"', bytes(0xf0, 0x9f, 0x8d, 0xb0)],
    ['"⛳"', bytes(0xe2, 0x9b, 0xb3)],
    ['"\\ff\\FE"', bytes(0xff, 0xfe)],
  ])('should decode the string %s to its bytes', (text, expected) => {
    const [t] = tokenize(text);
    expect(t?.kind).toBe('string');
    expect(t?.kind === 'string' && t.bytes).toEqual(expected);
  });

  it('should skip line comments and nested block comments', () => {
    const ts = tokenize('(a ;; x )\n (; outer (; inner ;) still ;) b)');
    expect(ts.map((t) => t.text)).toEqual(['(', 'a', 'b', ')']);
  });

  it.each([
    ['component', 'keyword'],
    ['$x', 'id'],
    ['$"a b"', 'id'],
    ['-1', 'number'],
    ['0xff', 'number'],
    ['+inf', 'number'],
    ['Abc', 'reserved'],
  ])('should classify %s as a %s', (text, kind) => {
    expect(tokenize(text)[0]?.kind).toBe(kind);
  });

  it('should mark annotations on their opening paren', () => {
    const [t] = tokenize('(@name "x")');
    expect(t).toMatchObject({ kind: 'lparen', annotation: 'name' });
  });

  it.each([['"abc'], ['"\\zz"'], ['(; open'], ['"\\u{d800}"'], ['{']])('should reject %s with a typed error', (text) => {
    let err: unknown;
    try {
      tokenize(text);
    } catch (e) {
      err = e;
    }
    expect(isWastSyntaxError(err)).toBe(true);
  });
});

describe('literals', () => {
  it.each([
    ['0', 0n],
    ['-1', -1n],
    ['0xffff_ffff', 0xffffffffn],
    ['1_000', 1000n],
    ['1.5', undefined],
  ])('should read the integer %s', (text, v) => {
    expect(parseIntLiteral(text)).toBe(v);
  });

  it.each([
    ['f64', '1.5', 1.5],
    ['f64', '-0x1p-1', -0.5],
    ['f64', '0x1.8p1', 3],
    ['f32', '0.1', Math.fround(0.1)],
    ['f64', '-inf', -Infinity],
    ['f64', '1e3', 1000],
  ] as const)('should read the %s %s', (type, text, v) => {
    expect(parseFloatLiteral(type, text)?.value).toBe(v);
  });

  it('should read NaN patterns', () => {
    expect(parseFloatLiteral('f32', 'nan:canonical')?.nan).toBe('canonical');
    expect(parseFloatLiteral('f32', 'nan:0x200000')).toMatchObject({ nan: 'payload', payload: 0x200000n });
  });
});

describe('parseWast', () => {
  it('should keep the exact source of a text component and blank out `definition`', () => {
    const src = ';; c\n(component definition $D (core module $m))\n(component instance $i $D)';
    const s = parseWast(src);
    expect(s.directives[0]).toMatchObject({
      kind: 'component',
      form: 'text',
      id: 'D',
      definition: true,
      source: '(component definition $D (core module $m))',
      wat: '(component            $D (core module $m))',
      span: { line: 2, column: 1 },
    });
    expect(s.directives[1]).toEqual({ kind: 'instance', layer: 'component', id: 'i', definition: 'D', span: expect.anything() });
  });

  it('should concatenate the strings of a binary form', () => {
    const s = parseWast('(component $B binary "\\00asm" "\\0d\\00\\01\\00")');
    expect(s.directives[0]).toMatchObject({ form: 'binary', id: 'B', bytes: bytes(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0) });
  });

  it('should wrap a quote form as a component', () => {
    const s = parseWast('(assert_malformed (component quote "(import \\"a\\"" "(func))") "msg")');
    expect(s.directives[0]).toMatchObject({
      kind: 'assert_malformed',
      message: 'msg',
      module: { form: 'quote', wat: '(component (import "a" (func)))' },
    });
  });

  it('should parse actions and values', () => {
    const s = parseWast(`
      (assert_return (invoke $i "f" (u32.const 0xffffffff) (s32.const 0xffffffff) (list.const (str.const "a")))
        (record.const (field "a" str.const "x") (field "b" (option.some (u8.const 1))))
        (variant.const "n") (result.err (f32.const 1.5)) (flags.const "a" "b") (enum.const "e") (char.const "⛳"))
      (assert_trap (invoke "g") "boom")
      (assert_trap (component (core module)) "start trapped")`);
    const [ret, trap, trap2] = s.directives;
    expect(ret).toMatchObject({
      kind: 'assert_return',
      action: {
        kind: 'invoke',
        instance: 'i',
        name: 'f',
        args: [
          { kind: 'int', type: 'u32', value: 0xffffffffn },
          { kind: 'int', type: 's32', value: -1n },
          { kind: 'list', items: [{ kind: 'string', value: 'a' }] },
        ],
      },
      results: [
        {
          kind: 'record',
          fields: [
            { name: 'a', value: { kind: 'string', value: 'x' } },
            { name: 'b', value: { kind: 'option', value: { kind: 'int', type: 'u8', value: 1n } } },
          ],
        },
        { kind: 'variant', case: 'n' },
        { kind: 'result', case: 'err', value: { kind: 'float', type: 'f32', value: 1.5 } },
        { kind: 'flags', names: ['a', 'b'] },
        { kind: 'enum', case: 'e' },
        { kind: 'char', value: '⛳' },
      ],
    });
    expect(trap).toMatchObject({ kind: 'assert_trap', target: { kind: 'invoke', name: 'g' }, message: 'boom' });
    expect(trap2).toMatchObject({ kind: 'assert_trap', target: { kind: 'component', form: 'text' } });
    expect(modulesOf(s).map((o) => o.index)).toEqual([0]);
  });

  it.each([
    ['(assert_return (invoke "f" (u8.const 256)))', 'out of range'],
    ['(assert_invalid (invoke "f") "x")', 'expected a module'],
    ['(register 1)', 'expected a string'],
    ['(component', 'unclosed'],
  ])('should reject %s', (src, message) => {
    expect(() => parseWast(src)).toThrow(message);
  });

  it('should keep directives it does not model as unknown', () => {
    expect(parseWast('(thread $t (invoke "f"))').directives[0]).toMatchObject({ kind: 'unknown', head: 'thread' });
  });
});
