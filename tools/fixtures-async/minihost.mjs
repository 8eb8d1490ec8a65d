// A deliberately small host for the core modules of callback.wasm and stackful.wasm: just the built-ins they
// import, with the Canonical ABI's encodings (callback codes, event codes, subtask states, packed results),
// so the fixtures' own logic is checked without any component runtime (jco cannot run stackful lifts).
// Stackful `waitable-set.wait` and `thread.yield` suspend through JSPI; the callback event loop needs none.
// It is a test aid, not a runtime: one task at a time per call, no traps beyond what the tests need.
import { nestedCoreModules } from '../fixtures/extract.mjs';

const EV_SUBTASK = 1;
const ST_STARTED = 1;
const ST_RETURNED = 2;
const CB = { EXIT: 0, YIELD: 1, WAIT: 2 };
/** A suspending import where JSPI exists; elsewhere one that says what is missing (callback modules never call it). */
const suspending = (f) =>
  typeof WebAssembly.Suspending === 'function'
    ? new WebAssembly.Suspending(f)
    : () => {
        throw new Error('stack switching needs JSPI (WebAssembly.Suspending), which this engine lacks');
      };

/** The fixture's own core module (the one importing "$root"), out of the component's nested modules. */
export function mainCoreModule(componentBytes) {
  for (const bytes of nestedCoreModules(componentBytes)) {
    const m = new WebAssembly.Module(bytes);
    if (WebAssembly.Module.imports(m).some((i) => i.module === '$root')) return m;
  }
  throw new Error('no core module importing $root');
}

/**
 * Instantiates `module` against the mini host; `fetch(n)` is the host's async `fetch` (a Promise of a string).
 * Returns `call(name, ...args)`, which runs the async export `name` to its `task.return` and resolves to the
 * returned value.
 */
export function miniHost(module, fetch) {
  const handles = new Map(); // index -> { kind: 'set' } | { kind: 'subtask', set, event }
  let next = 1;
  let context = 0;
  let result;
  let wake = () => {};
  let inst;
  const mem = () => new DataView(inst.exports.memory.buffer);
  const pendingIn = (set) => [...handles].find(([, h]) => h.kind === 'subtask' && h.set === set && h.event);
  /** Resolves once a waitable joined to `set` has an event; returns and clears [code, index, payload]. */
  const eventOf = async (set) => {
    for (;;) {
      const hit = pendingIn(set);
      if (hit) {
        const [index, h] = hit;
        const e = h.event;
        h.event = undefined;
        return [e.code, index, e.payload];
      }
      await new Promise((resolve) => (wake = resolve));
    }
  };
  const text = (ptr, len) => new TextDecoder().decode(new Uint8Array(inst.exports.memory.buffer, ptr, len));
  const imports = {
    $root: {
      '[waitable-set-new]': () => (handles.set(next, { kind: 'set' }), next++),
      '[waitable-set-drop]': (s) => {
        if (pendingIn(s) || [...handles.values()].some((h) => h.set === s)) throw new Error('waitable set still has members');
        handles.delete(s);
      },
      '[waitable-join]': (w, s) => {
        handles.get(w).set = s === 0 ? undefined : s;
      },
      '[subtask-drop]': (t) => {
        if (handles.get(t)?.state !== ST_RETURNED) throw new Error('subtask dropped before it returned');
        handles.delete(t);
      },
      '[context-get-0]': () => context,
      '[context-set-0]': (v) => {
        context = v;
      },
      '[waitable-set-wait]': suspending(async (set, ptr) => {
        const [code, index, payload] = await eventOf(set);
        mem().setUint32(ptr, index, true);
        mem().setUint32(ptr + 4, payload, true);
        return code;
      }),
      '[thread-yield]': suspending(async () => {
        await Promise.resolve();
        return 0;
      }),
    },
    '[export]$root': {
      '[task-return]run': (ptr, len) => {
        result = text(ptr, len);
      },
      '[task-return]ping': (v) => {
        result = v;
      },
      '[task-return]yield-once': (v) => {
        result = v;
      },
    },
    'fixtures:async-p3/host': {
      // async lower: a subtask that has STARTED; on resolution the string is lowered with cabi_realloc and
      // the subtask RETURNS (event SUBTASK, payload RETURNED)
      '[async-lower]fetch': (n, retptr) => {
        const index = next++;
        const sub = { kind: 'subtask', state: ST_STARTED };
        handles.set(index, sub);
        fetch(n).then((s) => {
          const bytes = new TextEncoder().encode(s);
          const p = inst.exports.cabi_realloc(0, 0, 1, bytes.length);
          new Uint8Array(inst.exports.memory.buffer, p, bytes.length).set(bytes);
          mem().setUint32(retptr, p, true);
          mem().setUint32(retptr + 4, bytes.length, true);
          sub.state = ST_RETURNED;
          sub.event = { code: EV_SUBTASK, payload: ST_RETURNED };
          wake();
        });
        return (index << 4) | ST_STARTED;
      },
    },
  };
  // only what the module imports (the stackful module has no callback-only imports and vice versa)
  const wanted = {};
  for (const { module: m, name } of WebAssembly.Module.imports(module)) {
    const f = imports[m]?.[name];
    if (!f) throw new Error(`mini host lacks ${m}::${name}`);
    (wanted[m] ??= {})[name] = f;
  }
  inst = new WebAssembly.Instance(module, wanted);
  const ex = inst.exports;
  return {
    handles,
    async call(name, ...args) {
      result = undefined;
      if (ex[`[async-lift-stackful]${name}`]) {
        await WebAssembly.promising(ex[`[async-lift-stackful]${name}`])(...args);
        return result;
      }
      let packed = ex[`[async-lift]${name}`](...args);
      for (;;) {
        const code = packed & 0xf;
        if (code === CB.EXIT) return result;
        let event = [0, 0, 0];
        if (code === CB.YIELD) await Promise.resolve();
        else if (code === CB.WAIT) event = await eventOf(packed >>> 4);
        else throw new Error(`bad callback code ${code}`);
        packed = ex[`[callback][async-lift]${name}`](...event);
      }
    },
  };
}
