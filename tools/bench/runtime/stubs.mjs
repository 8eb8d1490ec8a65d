// Import stubs for instantiation timing: a Proxy that answers every import (interfaces, functions,
// resource classes with their methods) with a placeholder, for our runtime and for jco's bindings alike.
// Nothing is called during instantiation (the components have no start functions that use imports);
// a stub that is called throws.
const cache = new Map();

function member(path) {
  const hit = cache.get(path);
  if (hit) return hit;
  const name = path.slice(path.lastIndexOf('.') + 1);
  let target;
  if (/^[A-Z]/.test(name)) {
    // a resource class: methods on the prototype, statics on the class
    target = class {};
    Object.setPrototypeOf(target.prototype, lookup(`${path}#proto`, {}));
  } else {
    target = function stub() {
      throw new Error(`import stub called: ${path}`);
    };
  }
  const p = lookup(path, target);
  cache.set(path, p);
  return p;
}

function lookup(path, target) {
  return new Proxy(target, {
    get(t, k, recv) {
      if (typeof k === 'symbol' || k === 'then' || k in t) return Reflect.get(t, k, recv);
      return member(`${path}.${k}`);
    },
    has: (t, k) => typeof k !== 'symbol' && k !== 'then',
  });
}

/** An imports object that provides anything asked for. */
export const anyImports = lookup('imports', {});
