import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { type CanonicalFunction, decode } from '@wasm-components/binary';
import { describe, expect, it } from 'vitest';
import { parseWithCancellable, stripCancellable, usesCancellable } from '../src/runner/cancellable.js';

/** Every canon function of a component, nested ones included, in document order. */
function canons(bytes: Uint8Array): CanonicalFunction[] {
  const out: CanonicalFunction[] = [];
  const visit = (c: ReturnType<typeof decode>): void => {
    if (c.kind !== 'component') return;
    for (const s of c.sections) {
      if (s.kind === 'canon') out.push(...s.functions);
      if (s.kind === 'nested-component') visit(s.component);
    }
  };
  visit(decode(bytes));
  return out;
}

const MEM = '(core module $M (memory (export "m") 1)) (core instance $i (instantiate $M))';

describe('stripCancellable', () => {
  it.each([
    ['no canon at all', '(component)', '(component)', []],
    ['a plain wait', '(canon waitable-set.wait (memory $m) (core func))', '(canon waitable-set.wait (memory $m) (core func))', [false]],
    ['a cancellable yield', '(canon thread.yield cancellable (core func))', '(canon thread.yield             (core func))', [true]],
    ['kinds without the immediate are not counted', '(canon task.cancel (core func)) (canon thread.yield (core func))', '(canon task.cancel (core func)) (canon thread.yield (core func))', [false]],
    ['comments and strings are not code', ';; (canon thread.yield cancellable)\n(; (canon waitable-set.poll cancellable ;) "(canon thread.yield cancellable"', ';; (canon thread.yield cancellable)\n(; (canon waitable-set.poll cancellable ;) "(canon thread.yield cancellable"', []],
  ] as const)('should handle %s', (_name, text, plain, flags) => {
    const r = stripCancellable(text);
    expect(r.text).toBe(plain);
    expect(r.flags).toEqual(flags);
    expect(r.text.length).toBe(text.length);
  });

  it('should tell whether text uses the immediate', () => {
    expect(usesCancellable('(canon thread.yield cancellable (core func))')).toBe(true);
    expect(usesCancellable('(canon thread.yield (core func))')).toBe(false);
  });
});

describe('parseWithCancellable', () => {
  it('should put each flag back on its canon definition, nested components included', async () => {
    const text = `(component
      ${MEM}
      (core func (canon thread.yield cancellable))
      (core func (canon waitable-set.wait (memory (core memory $i "m"))))
      (component
        ${MEM}
        (core func (canon waitable-set.poll cancellable (memory (core memory $i "m"))))
        (core func (canon thread.yield)))
      (core func (canon waitable-set.wait cancellable (memory (core memory $i "m")))))`;
    const got = canons(await parseWithCancellable(text, parse)).map((f) => [f.kind, 'cancellable' in f ? f.cancellable : undefined]);
    expect(got).toEqual([
      ['thread.yield', true],
      ['waitable-set.wait', false],
      ['waitable-set.poll', true],
      ['thread.yield', false],
      ['waitable-set.wait', true],
    ]);
  });

  it('should leave text without the immediate to the parser unchanged', async () => {
    const text = `(component (core func (canon thread.yield)))`;
    expect(await parseWithCancellable(text, parse)).toEqual(await parse(text));
  });
});
