/**
 * The `.wast` runner's own logic, apart from the runtime: value conversion,
 * result matching, directive dispatch (with tiny fake engines), and the
 * expectations list (judging, regeneration).
 */
import { existsSync } from 'node:fs';
import { t } from '@wasm-components/canonical-abi';
import { type WastValue, parseWast } from '@wasm-components/wast';
import { LinkError, Trap, ValidationError } from '@wasm-components/runtime';
import { describe, expect, it } from 'vitest';
import {
  type DirectiveOutcome,
  type Engine,
  ExpectationIndex,
  SUITE_DIR,
  camelCase,
  classifyCommon,
  formatExpectations,
  judgeFile,
  lookupExport,
  matchValue,
  normalizeReason,
  parseExpectations,
  readSuite,
  regenerate,
  runScript,
  suiteFiles,
  toJs,
  trapText,
} from '../src/runner/index.js';
import { runtimeEngine } from '../src/runner/runtime-engine.js';

/** The value of a single `(x.const ...)` written in the script syntax. */
function v(src: string): WastValue {
  const d = parseWast(`(assert_return (invoke "f") ${src})`).directives[0];
  if (d?.kind !== 'assert_return') throw new Error('not an assert_return');
  return d.results[0]!;
}

describe('toJs', () => {
  it.each<[string, unknown]>([
    ['(u32.const 7)', 7],
    ['(s32.const -1)', -1],
    ['(u64.const 18446744073709551615)', 18446744073709551615n],
    ['(s64.const -2)', -2n],
    ['(f32.const 1.5)', 1.5],
    ['(bool.const true)', true],
    ['(char.const "☃")', '☃'],
    ['(str.const "hi")', 'hi'],
    ['(list.const (u8.const 1) (u8.const 2))', [1, 2]],
    ['(tuple.const (u8.const 1) (str.const "a"))', [1, 'a']],
    ['(record.const (field "a-b" (u32.const 1)))', { 'a-b': 1, aB: 1 }],
    ['(variant.const "c" (u32.const 1))', { tag: 'c', val: 1 }],
    ['(variant.const "none")', { tag: 'none' }],
    ['(enum.const "red")', 'red'],
    ['(flags.const "a" "b")', { a: true, b: true }],
    ['(option.none)', undefined],
    ['(option.some (u32.const 3))', 3],
    ['(option.some (option.none))', { tag: 'some', val: undefined }],
    ['(option.some (option.some (u8.const 1)))', { tag: 'some', val: 1 }],
    ['(result.ok (u32.const 1))', { tag: 'ok', val: 1 }],
    ['(result.err)', { tag: 'err' }],
  ])('should convert %s by its value alone', (src, want) => {
    expect(toJs(v(src))).toEqual(want);
  });

  it('should convert by the parameter type when the engine gives one', () => {
    expect(toJs(v('(u32.const 7)'), t.u64)).toBe(7n);
    expect(toJs(v('(flags.const "b")'), t.flags('a', 'b'))).toEqual({ a: false, b: true });
    expect(toJs(v('(option.some (option.none))'), t.option(t.option(t.u8)))).toEqual({ tag: 'some', val: undefined });
  });

  it.each<[string, Parameters<typeof toJs>[1]]>([
    ['(str.const "x")', t.u32],
    ['(u32.const 1)', t.string],
    ['(variant.const "zz")', t.variant({ a: null })],
    ['(record.const (field "q" (u8.const 1)))', t.record({ p: t.u8 })],
  ])('should refuse %s for a parameter of another type', (src, type) => {
    expect(() => toJs(v(src), type)).toThrow(/cannot|has no/);
  });
});

describe('matchValue', () => {
  it.each<[unknown, string]>([
    [7, '(u32.const 7)'],
    [4294967295, '(u32.const 0xffffffff)'],
    [-1, '(s32.const -1)'],
    [18446744073709551615n, '(u64.const -1)'],
    [NaN, '(f32.const nan:canonical)'],
    [NaN, '(f64.const nan:0x4)'],
    [-0, '(f64.const -0)'],
    [new Uint8Array([1, 2]), '(list.const (u8.const 1) (u8.const 2))'],
    [new BigUint64Array([5n]), '(list.const (u64.const 5))'],
    [{ fooBar: 1 }, '(record.const (field "foo-bar" (u32.const 1)))'],
    [{ a: true, b: false }, '(flags.const "a")'],
    [undefined, '(option.none)'],
    [null, '(option.none)'],
    [{ tag: 'some', val: undefined }, '(option.some (option.none))'],
    [{ tag: 'ok', val: 'x' }, '(result.ok (str.const "x"))'],
    [2, '(either (u32.const 1) (u32.const 2))'],
  ])('should accept %o for %s', (actual, src) => {
    expect(matchValue(actual, v(src))).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [7n, '(u32.const 7)'],
    [7, '(u64.const 7)'],
    [0, '(f64.const -0)'],
    [1, '(f32.const nan:canonical)'],
    [[1], '(list.const (u8.const 1) (u8.const 2))'],
    [{ a: true, b: true }, '(flags.const "a")'],
    [0, '(option.none)'],
    [undefined, '(option.some (option.none))'],
    [{ tag: 'err' }, '(result.ok)'],
    [{ tag: 'ok', val: 1 }, '(result.ok)'],
    [3, '(either (u32.const 1) (u32.const 2))'],
  ])('should reject %o for %s', (actual, src) => {
    expect(matchValue(actual, v(src))).toMatch(/result/);
  });

  it('should say where a nested value differs', () => {
    expect(matchValue([1, { a: 2 }], v('(tuple.const (u8.const 1) (record.const (field "a" (u8.const 3))))'))).toMatch(/^result\[1\]\.a:/);
  });

  it('should use the result type for flags it was not told about', () => {
    expect(matchValue({ a: true, b: false }, v('(flags.const "a")'), t.flags('a', 'b'))).toBeUndefined();
    expect(matchValue(7n, v('(u32.const 7)'), t.u64)).toBeUndefined();
  });
});

describe('names and reasons', () => {
  it.each([
    ['get-a', 'getA'],
    ['get-HTTP', 'getHttp'],
    ['f', 'f'],
  ])('should camelCase %s as %s', (a, b) => {
    expect(camelCase(a)).toBe(b);
  });

  it('should find exports by raw name, camelCase name or nested path', () => {
    const ex = { getA: 1, 'raw-b': 2, inner: { 'do-it': 3 } };
    expect(lookupExport(ex, 'get-a')).toBe(1);
    expect(lookupExport(ex, 'raw-b')).toBe(2);
    expect(lookupExport(ex, 'inner#do-it')).toBe(3);
    expect(lookupExport(ex, 'nope')).toBeUndefined();
  });

  it('should blank numbers and names so one cause is one group', () => {
    expect(normalizeReason('section 3 at byte 42 (0x2a): type index 7 out of bounds for "foo"')).toBe(
      'section N at byte N (N): type index N out of bounds for "…"',
    );
  });

  it('should classify errors of our packages by name and core traps by class', () => {
    expect(classifyCommon(Object.assign(new Error('x'), { name: 'ComponentTrap' }))).toBe('trap');
    expect(classifyCommon(new WebAssembly.RuntimeError('unreachable'))).toBe('trap');
    expect(classifyCommon(new RangeError('Maximum call stack size exceeded'))).toBe('exhaustion');
    expect(classifyCommon(new TypeError('x'))).toBe('other');
  });
});

/** An error shaped like the runtime's (guards check `name`). */
function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, reason: message });
}

/**
 * A fake engine: the "bytes" are the component's text; `fake-NAME` in it picks
 * the behaviour, `INVALID` makes validation fail and `UNPARSEABLE` makes the
 * text parser reject it.
 */
function fakeEngine(): Engine {
  const behaviours: Record<string, (imports: Readonly<Record<string, unknown>>) => unknown> = {
    adder: () => ({ add: (a: number, b: number) => a + b, 'get-big': () => 5n, nothing: () => undefined }),
    counter: () => {
      let n = 0;
      return { bump: () => ++n };
    },
    trapper: () => ({
      boom: () => {
        throw named('ComponentTrap', 'unreachable executed');
      },
      oops: () => {
        throw new TypeError('not a function');
      },
    }),
    importer: (imports) => {
      const dep = imports['dep'] as { bump?: () => number } | undefined;
      if (typeof dep?.bump !== 'function') throw named('ComponentLinkError', 'missing import "dep"');
      return { 'call-dep': () => dep.bump!() };
    },
    'start-trap': () => {
      throw named('ComponentTrap', 'start function trapped');
    },
    async: () => ({ later: () => Promise.resolve(9) }),
  };
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  return {
    parseWat: (wat) => (wat.includes('UNPARSEABLE') ? Promise.reject(new Error('wasm-tools: syntax')) : Promise.resolve(new TextEncoder().encode(wat))),
    validate(bytes) {
      if (text(bytes).includes('INVALID')) throw named('ComponentValidationError', 'type index 3 out of bounds');
    },
    compile(bytes) {
      this.validate(bytes);
      const m = /fake-([\w-]+)/.exec(text(bytes));
      return m?.[1] ?? 'adder';
    },
    instantiate(compiled, imports) {
      return behaviours[compiled as string]!(imports);
    },
    classify: classifyCommon,
  };
}

async function run(src: string): Promise<Pick<DirectiveOutcome, 'kind' | 'ok' | 'cause' | 'note'>[]> {
  const out = await runScript(parseWast(src), fakeEngine());
  return out.map((o) => ({ kind: o.kind, ok: o.ok, ...(o.cause === undefined ? {} : { cause: o.cause }), ...(o.note === undefined ? {} : { note: o.note }) }));
}

describe('runScript', () => {
  it('should instantiate a component and check assert_return results', async () => {
    expect(
      await run(`
        (component (core module $fake-adder))
        (assert_return (invoke "add" (u32.const 2) (u32.const 3)) (u32.const 5))
        (assert_return (invoke "add" (u32.const 2) (u32.const 3)) (u32.const 6))
        (assert_return (invoke "get-big") (u64.const 5))
        (assert_return (invoke "nothing"))
        (invoke "add" (u32.const 1) (u32.const 1))
        (assert_return (invoke "missing"))`),
    ).toEqual([
      { kind: 'component', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'assert_return', ok: false, cause: 'wrong-result' },
      { kind: 'assert_return', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'invoke', ok: true },
      { kind: 'assert_return', ok: false, cause: 'missing-export' },
    ]);
  });

  it('should await results of functions that return promises', async () => {
    expect(await run('(component $fake-async) (assert_return (invoke "later") (u32.const 9))')).toEqual([
      { kind: 'component', ok: true },
      { kind: 'assert_return', ok: true },
    ]);
  });

  it('should match trap messages as substrings and tell wrong wording from no trap', async () => {
    expect(
      await run(`
        (component (core module $fake-trapper))
        (assert_trap (invoke "boom") "unreachable")
        (assert_trap (invoke "boom") "wasm trap: unreachable")
        (assert_trap (invoke "boom") "out of bounds")
        (assert_trap (invoke "oops") "unreachable")
        (invoke "boom")
        (component (core module $fake-adder))
        (assert_trap (invoke "add" (u32.const 1) (u32.const 1)) "unreachable")`),
    ).toEqual([
      { kind: 'component', ok: true },
      { kind: 'assert_trap', ok: true },
      { kind: 'assert_trap', ok: true },
      { kind: 'assert_trap', ok: false, cause: 'wrong-message' },
      { kind: 'assert_trap', ok: false, cause: 'not-a-trap' },
      { kind: 'invoke', ok: false, cause: 'unexpected-trap' },
      { kind: 'component', ok: true },
      { kind: 'assert_trap', ok: false, cause: 'no-trap' },
    ]);
  });

  it('should need a rejection for assert_invalid and assert_malformed, counting text-parser rejections apart', async () => {
    expect(
      await run(`
        (assert_invalid (component INVALID) "out of bounds")
        (assert_invalid (component) "should be rejected")
        (assert_invalid (component UNPARSEABLE) "x")
        (assert_malformed (component quote "UNPARSEABLE") "x")
        (assert_malformed (component INVALID) "x")`),
    ).toEqual([
      { kind: 'assert_invalid', ok: true, note: 'validation-rejected' },
      { kind: 'assert_invalid', ok: false, cause: 'accepted-invalid' },
      { kind: 'assert_invalid', ok: true, note: 'text-rejected' },
      { kind: 'assert_malformed', ok: true, note: 'text-rejected' },
      { kind: 'assert_malformed', ok: true, note: 'validation-rejected' },
    ]);
  });

  it('should instantiate definitions by $id, target instances by $id and report actions on failed instances', async () => {
    expect(
      await run(`
        (component definition $C (core module $fake-counter))
        (component instance $a $C)
        (component instance $b $C)
        (assert_return (invoke $a "bump") (u32.const 1))
        (assert_return (invoke $a "bump") (u32.const 2))
        (assert_return (invoke $b "bump") (u32.const 1))
        (assert_return (invoke "bump") (u32.const 2))
        (component definition $Bad INVALID)
        (component instance $c $Bad)
        (assert_return (invoke "bump") (u32.const 1))
        (component UNPARSEABLE)
        (assert_return (invoke "bump") (u32.const 1))`),
    ).toEqual([
      { kind: 'component definition', ok: true },
      { kind: 'instance', ok: true },
      { kind: 'instance', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'component definition', ok: false, cause: 'rejected-valid' },
      { kind: 'instance', ok: false, cause: 'no-instance' },
      { kind: 'assert_return', ok: false, cause: 'no-instance' },
      { kind: 'component', ok: false, cause: 'wat-parse' },
      { kind: 'assert_return', ok: false, cause: 'no-instance' },
    ]);
  });

  it('should link registered instances as imports and check assert_unlinkable', async () => {
    expect(
      await run(`
        (assert_unlinkable (component $fake-importer) "missing")
        (component $dep (core module $fake-counter))
        (register "dep" $dep)
        (component (core module $fake-importer))
        (assert_return (invoke "call-dep") (u32.const 1))
        (assert_unlinkable (component $fake-importer) "missing")
        (assert_trap (component $fake-start-trap) "start function")
        (register "x" $nope)
        (get "g")`),
    ).toEqual([
      { kind: 'assert_unlinkable', ok: true },
      { kind: 'component', ok: true },
      { kind: 'register', ok: true },
      { kind: 'component', ok: true },
      { kind: 'assert_return', ok: true },
      { kind: 'assert_unlinkable', ok: false, cause: 'not-unlinkable' },
      { kind: 'assert_trap', ok: true },
      { kind: 'register', ok: false, cause: 'no-instance' },
      { kind: 'get', ok: false, cause: 'unsupported-directive' },
    ]);
  });

  it('should convert arguments by the function type when the engine gives it', async () => {
    const engine: Engine = {
      ...fakeEngine(),
      funcType: () => ({ params: [{ name: 'x', type: t.u64 }], result: t.u64, async: false }),
      instantiate: () => ({ id: (x: unknown) => x }),
    };
    const ok = async (src: string): Promise<boolean[]> => (await runScript(parseWast(src), engine)).map((o) => o.ok);
    expect(await ok('(component) (assert_return (invoke "id" (u32.const 1)) (u64.const 1))')).toEqual([true, true]);
    const out = await runScript(parseWast('(component) (assert_return (invoke "id" (str.const "a")) (u64.const 1))'), engine);
    expect(out[1]).toMatchObject({ ok: false, cause: 'bad-argument' });
  });
});

describe('the runtime engine adapter', () => {
  it('should classify the runtime\'s errors', () => {
    const e = runtimeEngine();
    expect(e.classify(new ValidationError('bad'))).toBe('validation');
    expect(e.classify(new LinkError('a', 'missing'))).toBe('link');
    expect(e.classify(new Trap('unreachable'))).toBe('trap');
    expect(e.classify(new Error('other'))).toBe('other');
  });

  it('should reject a malformed binary and accept (or name the missing entry point for) an empty component', () => {
    const e = runtimeEngine();
    expect(() => e.validate(new Uint8Array([0, 0x61, 0x73]))).toThrow();
    const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    try {
      e.validate(empty);
    } catch (x) {
      expect(String(x)).toMatch(/does not export validate/);
    }
  });
});

describe('assertion details', () => {
  it('should drop wasmtime\'s "wasm trap: " decoration from expected trap messages', () => {
    expect(trapText('wasm trap: unaligned pointer')).toBe('unaligned pointer');
    expect(trapText('unaligned pointer')).toBe('unaligned pointer');
  });

  it('should pass assert_exhaustion on a stack overflow or a trap only', async () => {
    const engine: Engine = {
      ...fakeEngine(),
      instantiate: () => ({
        deep: () => {
          throw new RangeError('Maximum call stack size exceeded');
        },
        fine: () => 1,
      }),
    };
    const out = await runScript(parseWast('(component) (assert_exhaustion (invoke "deep") "stack") (assert_exhaustion (invoke "fine") "stack")'), engine);
    expect(out.map((o) => [o.ok, o.cause])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'no-trap'],
    ]);
  });

  it('should tell whether a rejection\'s message contains the suite\'s text', async () => {
    const out = await runScript(parseWast('(assert_invalid (component INVALID) "out of bounds") (assert_invalid (component INVALID) "elsewhere")'), fakeEngine());
    expect(out.map((o) => o.messageMatches)).toEqual([true, false]);
  });
});

describe('expectations', () => {
  const o = (line: number, ok: boolean, cause?: DirectiveOutcome['cause']): DirectiveOutcome => ({
    index: line,
    line,
    kind: 'assert_return',
    ok,
    ...(cause === undefined ? {} : { cause, detail: 'd', hint: `other: h${line}` }),
  });

  it('should accept listed failures and flag unlisted failures, listed passes, cause changes and stale lines', () => {
    const index = new ExpectationIndex(
      parseExpectations(
        JSON.stringify({ files: [], directives: [{ reason: 'r', cause: 'crash', lines: { 'a.wast': [1, 2, 3, 9] } }] }),
      ),
    );
    const v = judgeFile('a.wast', [o(1, false, 'crash'), o(2, true), o(3, false, 'wrong-result'), o(4, false, 'crash')], index);
    expect({ passed: v.passed, failed: v.failed, expected: v.expected }).toEqual({ passed: 1, failed: 2, expected: 1 });
    expect(v.problems.map((p) => p.replace(/:.*/, ''))).toEqual([
      'line 2 (assert_return) is listed (r) but passed',
      'line 3 (assert_return) is listed with cause crash (r) but failed with wrong-result',
      'line 4 (assert_return) failed',
      'line 9 is listed but no directive starts there',
    ]);
  });

  it('should accept any failure of a file listed whole, and flag it once nothing fails', () => {
    const index = new ExpectationIndex({ files: [{ file: 'b.wast', reason: 'later' }], directives: [] });
    expect(judgeFile('b.wast', [o(1, false, 'crash'), o(2, true)], index)).toMatchObject({ passed: 1, failed: 0, expected: 1, problems: [] });
    expect(judgeFile('b.wast', [o(1, true)], index).problems).toHaveLength(1);
  });

  it('should regenerate a list that accepts exactly the failures, keeping hand-written reasons', () => {
    const old = { files: [], directives: [{ reason: 'hand-written', cause: 'crash' as const, lines: { 'a.wast': [1] } }] };
    const results = new Map([
      ['a.wast', [o(1, false, 'crash'), o(2, false, 'crash'), o(3, true)]],
      ['async/x.wast', [o(1, false, 'crash')]],
      ['c.wast', [o(1, true)]],
    ]);
    const next = regenerate(old, results, { wholeFileFolders: { 'async/': 'async later' } });
    expect(next).toEqual({
      files: [{ file: 'async/x.wast', reason: 'async later' }],
      directives: [
        { reason: 'hand-written', cause: 'crash', lines: { 'a.wast': [1] } },
        { reason: 'runtime: other: h2', cause: 'crash', lines: { 'a.wast': [2] } },
      ],
    });
    expect(parseExpectations(formatExpectations(next))).toEqual(next);
    const fresh = regenerate(old, results, { wholeFileFolders: { 'async/': 'async later' }, freshReasons: true });
    expect(fresh.directives.map((g) => g.reason)).toEqual(['runtime: other: h1', 'runtime: other: h2']);
    const index = new ExpectationIndex(next);
    for (const [file, outs] of results) expect(judgeFile(file, outs, index).problems).toEqual([]);
  });
});

describe.skipIf(!existsSync(SUITE_DIR))('the suite as the runner sees it', () => {
  it('should start every directive of a file on its own line (lines name directives in the expectations)', () => {
    const clashes: string[] = [];
    for (const file of suiteFiles()) {
      const seen = new Set<number>();
      for (const d of parseWast(readSuite(file), file).directives) {
        if (seen.has(d.span.line)) clashes.push(`${file}:${d.span.line}`);
        seen.add(d.span.line);
      }
    }
    expect(clashes).toEqual([]);
  });
});
