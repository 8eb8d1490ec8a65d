// The @wasm-components/canonical-abi side of the bench: the same component functions as jco's bindings,
// done with the package's sync `canon lift` wrapper (`liftFunction`) directly on the core instance jco
// instantiated (same memory, same realloc, same core functions). Each call does what a host's wrapper for a
// sync export does: a borrow scope and a LiftLowerContext for the call, lower the arguments (`lowerParams`,
// strings and lists through the instance's `realloc`), call the core function, lift the results
// (`liftResults`, reading memory through the returned pointer), check no borrow is left. No post-return
// (the component declares none).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DEFAULT_DIST = fileURLToPath(new URL('../../../packages/canonical-abi/dist/index.js', import.meta.url));

/**
 * Loads the built package (or another build given by path). Returns `{ lib }` or `{ error }` (a reason
 * printed in the results, so a run without the package still measures jco and the raw copy).
 */
export async function loadOurs(path = DEFAULT_DIST) {
  if (!existsSync(path)) return { error: `not built (${path} missing: npm run build -w @wasm-components/canonical-abi)` };
  let lib;
  const builtAt = statSync(path).mtime.toISOString();
  try {
    lib = await import(pathToFileURL(path).href);
  } catch (e) {
    return { error: `import failed: ${e instanceof Error ? e.message.split('\n')[0] : e}` };
  }
  for (const name of ['t', 'liftFunction', 'createInstanceState']) {
    if (lib[name] === undefined) return { error: `the package does not export \`${name}\` yet` };
  }
  return { lib, builtAt };
}

/** The bench's component types (component.mjs) in the package's type model. */
export function benchTypes(t) {
  const rec = t.record({ a: t.u32, b: t.string, c: t.f64, d: t.bool });
  const v0 = t.variant({ leaf: t.u32, text: t.string, empty: undefined });
  const v1 = t.option(v0);
  const v2 = t.result(v1, t.string);
  const v3 = t.variant({ a: v2, b: t.f64, c: t.u64 });
  const v4 = t.option(v3);
  const v5 = t.result(v4, t.u32);
  const v6 = t.variant({ x: v5, y: t.s8 });
  const v7 = t.option(v6);
  const v8 = t.result(v7);
  const v9 = t.variant({ p: v8, q: t.string });
  return { bytes: t.list(t.u8), strings: t.list(t.string), records: t.list(rec), deep: v9, deeps: t.list(v9) };
}

/**
 * Builds, for each case, `take(value) -> u32`, `keep(value)` and `give() -> value` doing the canonical ABI
 * with the package on `core` (the core instance's exports): each is the package's sync `canon lift`
 * wrapper `liftFunction(ft, opts, inst, coreFn)`, made once (its code is compiled per function type).
 */
export function makeOurs(lib, core, cases) {
  const { t, liftFunction, createInstanceState } = lib;
  const types = benchTypes(t);
  const opts = { memory: core.memory, realloc: core.realloc, stringEncoding: 'utf8' };
  const inst = createInstanceState();
  const out = {};
  for (const c of cases) {
    const T = types[c.name];
    const take = liftFunction(t.func({ x: T }, t.u32), opts, inst, core[`take-${c.name}`]);
    const keep = liftFunction(t.func({ x: c.list ? T : t.list(T) }), opts, inst, core[`keep-${c.name}`]);
    const give = liftFunction(t.func({}, T), opts, inst, core[`give-${c.name}`]);
    out[c.name] = { take, keep: (v) => keep(c.list ? v : [v]), give };
  }
  return out;
}
