// The values the bench lowers and lifts (deterministic), and a structural equality that treats the
// representations of jco and @wasm-components/canonical-abi alike where they legitimately differ only in
// spelling (a variant case without payload may carry `val: undefined` or no `val`; `null` and `undefined`
// are both "none").

/** A small deterministic PRNG (xorshift32), so every run lowers the same bytes. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** list<u8> of 1 MB (10^6 bytes), random. */
export function makeBytes(n = 1_000_000) {
  const r = rng(1);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r() & 0xff;
  return out;
}

/** list<string>: 10k short ASCII strings of 6 to 14 characters ("k3f-item-12" style identifiers). */
export function makeStrings(n = 10_000) {
  const r = rng(2);
  const out = [];
  for (let i = 0; i < n; i++) out.push(`${(r() % 1296).toString(36)}-item-${i}`.slice(0, 6 + (r() % 9)));
  return out;
}

/** list<record { a: u32, b: string, c: f64, d: bool }>: 10k records. */
export function makeRecords(n = 10_000) {
  const r = rng(3);
  const out = [];
  for (let i = 0; i < n; i++) out.push({ a: r(), b: `name-${i}`, c: (r() % 100000) / 7, d: (r() & 1) === 1 });
  return out;
}

/**
 * A value of the deep variant v9 (component.mjs). `i` selects the shape: i = 0 is the deepest path (all 10
 * levels: p -> ok -> some -> x -> ok -> some -> a -> ok -> some -> text), other values vary the cases
 * taken at each level so a list of them exercises every branch of the compiled code.
 */
export function makeDeep(i = 0) {
  const leafs = [{ tag: 'text', val: 'deep leaf' }, { tag: 'leaf', val: (i * 2654435761) >>> 0 }, { tag: 'empty' }];
  const v1 = i % 11 === 5 ? undefined : leafs[i % 3];
  const v2 = i % 13 === 7 ? { tag: 'err', val: `error ${i}` } : { tag: 'ok', val: v1 };
  const v3 = i % 7 === 3 ? { tag: 'b', val: i / 3 } : i % 7 === 4 ? { tag: 'c', val: BigInt(i) * 0x1_0000_0001n } : { tag: 'a', val: v2 };
  const v4 = i % 17 === 9 ? undefined : v3;
  const v5 = i % 19 === 11 ? { tag: 'err', val: i } : { tag: 'ok', val: v4 };
  const v6 = i % 23 === 13 ? { tag: 'y', val: (i % 256) - 128 } : { tag: 'x', val: v5 };
  const v7 = i % 29 === 15 ? undefined : v6;
  const v8 = i % 31 === 17 ? { tag: 'err' } : { tag: 'ok', val: v7 };
  return i % 37 === 19 ? { tag: 'q', val: `q${i}` } : { tag: 'p', val: v8 };
}

export function makeDeeps(n = 1000) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(makeDeep(i));
  return out;
}

/** Structural equality for the values above (typed arrays by content, objects by keys with undefined dropped). */
export function same(a, b) {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== 'object' || typeof b !== 'object') return Number.isNaN(a) && Number.isNaN(b);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!same(a[k], b[k])) return false;
  return true;
}
