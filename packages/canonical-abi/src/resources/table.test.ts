import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTrap } from '../errors.js';
import { ResourceHandle } from './handle.js';
import { describeTableEntry, HandleTable, MAX_TABLE_LENGTH, trapUnknownHandle, trapWrongHandleKind } from './table.js';
import { trapReason } from './test-util.js';

describe('HandleTable', () => {
  it('should never hand out index 0 and allocate sequentially from 1', () => {
    const t = new HandleTable<string>();
    expect([t.add('a'), t.add('b'), t.add('c')]).toEqual([1, 2, 3]);
    expect(t.length).toBe(4);
    expect(t.size).toBe(3);
  });

  it('should reuse freed indices last-in-first-out (resources/handle-table.wast "run")', () => {
    const t = new HandleTable<number>();
    expect([t.add(100), t.add(200), t.add(300)]).toEqual([1, 2, 3]);
    t.remove(2);
    expect(t.add(400)).toBe(2);
    expect([t.get(1), t.get(2), t.get(3)]).toEqual([100, 400, 300]);
    t.remove(1);
    t.remove(2);
    t.remove(3);
    expect([t.add(500), t.add(600), t.add(700)]).toEqual([3, 2, 1]);
    expect([t.get(3), t.get(2), t.get(1)]).toEqual([500, 600, 700]);
    expect(t.add(800)).toBe(4);
  });

  it('should return the removed element and empty its slot', () => {
    const t = new HandleTable<{ v: number }>();
    const e = { v: 1 };
    const i = t.add(e);
    expect(t.has(i)).toBe(true);
    expect(t.remove(i)).toBe(e);
    expect(t.has(i)).toBe(false);
    expect(t.size).toBe(0);
    expect(t.length).toBe(2);
  });

  const unknown: [string, (t: HandleTable<string>) => number, string][] = [
    ['index 0 (reserved)', () => 0, 'unknown handle index 0'],
    ['a never allocated index', () => 5, 'unknown handle index 5'],
    ['the next index not yet allocated', (t) => t.length, 'unknown handle index 3'],
    ['a freed index', (t) => (t.remove(1), 1), 'unknown handle index 1'],
    ['0xffffffff passed as the signed i32 -1', () => -1, 'unknown handle index 4294967295'],
    ['0x80000000 passed as a signed i32', () => -0x80000000, 'unknown handle index 2147483648'],
  ];
  for (const [what, index, message] of unknown) {
    it(`should trap on get and remove of ${what}`, () => {
      const t = new HandleTable<string>();
      t.add('a');
      t.add('b');
      const i = index(t);
      expect(trapReason(() => t.get(i))).toBe(message);
      expect(trapReason(() => t.remove(i))).toBe(message);
      expect(t.has(i)).toBe(false);
    });
  }

  it('should trap on a double remove', () => {
    const t = new HandleTable<string>();
    const i = t.add('x');
    t.remove(i);
    expect(trapReason(() => t.remove(i))).toBe('unknown handle index 1');
  });

  it('should read indices as unsigned i32 on success too', () => {
    const t = new HandleTable<string>();
    const i = t.add('x');
    expect(t.get(i - 2 ** 32)).toBe('x');
  });

  it('should default to the spec maximum 2^28 - 1', () => {
    expect(MAX_TABLE_LENGTH).toBe(268435455);
    expect(HandleTable.MAX_LENGTH).toBe(MAX_TABLE_LENGTH);
    expect(new HandleTable().maxLength).toBe(MAX_TABLE_LENGTH);
    expect(new HandleTable({ maxLength: 2 ** 40 }).maxLength).toBe(MAX_TABLE_LENGTH);
  });

  it('should trap when adding past the maximum index and keep working after a remove', () => {
    const t = new HandleTable<number>({ maxLength: 3 });
    expect([t.add(1), t.add(2), t.add(3)]).toEqual([1, 2, 3]);
    expect(trapReason(() => t.add(4))).toBe('handle table is full: an instance can hold at most 3 handles');
    expect(t.size).toBe(3);
    t.remove(2);
    expect(t.add(5)).toBe(2);
    expect(trapReason(() => t.add(6))).toMatch(/^handle table is full/);
  });

  it('should refuse to store undefined, which marks empty slots', () => {
    const t = new HandleTable<unknown>();
    expect(() => t.add(undefined)).toThrow(TypeError);
    expect(t.size).toBe(0);
  });

  it('should list occupied slots in index order', () => {
    const t = new HandleTable<string>();
    t.add('a');
    t.add('b');
    t.add('c');
    t.remove(2);
    expect([...t.entries()]).toEqual([
      [1, 'a'],
      [3, 'c'],
    ]);
  });

  it('should keep tables independent', () => {
    const a = new HandleTable<string>();
    const b = new HandleTable<string>();
    a.add('x');
    expect(trapReason(() => b.get(1))).toBe('unknown handle index 1');
    expect(b.add('y')).toBe(1);
  });
});

describe('trap helpers', () => {
  it('should throw Trap objects', () => {
    try {
      trapUnknownHandle(-1);
    } catch (e) {
      expect(isTrap(e)).toBe(true);
    }
  });

  const cases: [string, () => never, string][] = [
    ['trapUnknownHandle', () => trapUnknownHandle(7), 'unknown handle index 7'],
    [
      'trapWrongHandleKind',
      () => trapWrongHandleKind(-1, 'waitable-set', 'stream'),
      'handle index 4294967295 used with the wrong type, expected waitable-set but found stream',
    ],
  ];
  for (const [name, f, message] of cases) {
    it(`should word ${name} as the reference tests do`, () => {
      expect(trapReason(f)).toBe(message);
    });
  }

  const entries: [unknown, string][] = [
    [new ResourceHandle({ kind: 'resource', instance: {} }, 1, true), 'guest-defined resource'],
    [new ResourceHandle({ kind: 'resource' }, 1, false), 'host-defined resource'],
    [{ kind: 'stream' }, 'stream'],
    [{ kind: 3 }, 'a non-resource table entry'],
    ['text', 'a non-resource table entry'],
    [null, 'a non-resource table entry'],
  ];
  for (const [e, d] of entries) {
    it(`should describe ${e instanceof ResourceHandle ? 'a resource handle' : JSON.stringify(e)} as "${d}"`, () => {
      expect(describeTableEntry(e)).toBe(d);
    });
  }
});

describe('HandleTable property', () => {
  it('should match a list-and-stack model for random add/remove sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant<'add'>('add'), fc.nat(12)), { maxLength: 100 }),
        fc.integer({ min: 1, max: 10 }),
        (ops, max) => {
          const t = new HandleTable<number>({ maxLength: max });
          const slots: (number | undefined)[] = [undefined];
          const free: number[] = [];
          let counter = 0;
          for (const o of ops) {
            if (o === 'add') {
              const v = ++counter;
              const reuse = free.pop();
              if (reuse !== undefined) {
                slots[reuse] = v;
                expect(t.add(v)).toBe(reuse);
              } else if (slots.length > max) {
                expect(trapReason(() => t.add(v))).toBe(`handle table is full: an instance can hold at most ${max} handles`);
              } else {
                slots.push(v);
                expect(t.add(v)).toBe(slots.length - 1);
              }
            } else if (slots[o] === undefined) {
              expect(trapReason(() => t.remove(o))).toBe(`unknown handle index ${o}`);
            } else {
              expect(t.remove(o)).toBe(slots[o]);
              slots[o] = undefined;
              free.push(o);
            }
          }
          expect([...t.entries()]).toEqual(
            slots.flatMap((v, i) => (v === undefined ? [] : [[i, v] as [number, number]])),
          );
          expect(t.size).toBe(slots.filter((v) => v !== undefined).length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
