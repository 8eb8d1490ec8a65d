// Mutation fuzzing of the decoder/encoder, shared by run.mjs (CLI, built package) and
// packages/binary/test/fuzz.test.ts (vitest, sources). Everything is deterministic: case K of seed S is
// always the same mutant of the same input, so a failure is reproduced with `--seed S --case K`.

/**
 * sfc32: a small, fast PRNG with 128 bits of state; good enough to spread mutations, and exact across
 * platforms (only 32-bit integer arithmetic).
 */
export function createRng(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    next,
    /** Integer in [0, n). */
    int: (n) => (n <= 0 ? 0 : Math.floor((next() / 4294967296) * n)),
    chance: (p) => next() / 4294967296 < p,
  };
}

/** Mixes the run seed and the case number into the case's own seed (splitmix-style finaliser). */
export function caseSeed(seed, caseIndex) {
  let x = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(caseIndex + 1, 0x85ebca77)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const INTERESTING = [0x00, 0x01, 0x02, 0x0d, 0x3f, 0x40, 0x41, 0x60, 0x70, 0x7f, 0x80, 0x81, 0xc0, 0xfe, 0xff];

function readLeb(bytes, pos, end) {
  let value = 0;
  for (let shift = 0, i = pos; i < end && shift <= 28; shift += 7, i++) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    if ((bytes[i] & 0x80) === 0) return { value, length: i - pos + 1 };
  }
  return undefined;
}

function writeLeb(value, minLength) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0 || out.length + 1 < minLength) b |= 0x80;
    out.push(b);
  } while (value !== 0 || out.length < minLength);
  return out;
}

/** Section headers of the module or component in bytes[start, end), or undefined if they do not parse. */
function sectionsOf(bytes, start, end) {
  if (end - start < 8 || bytes[start] !== 0 || bytes[start + 1] !== 0x61) return undefined;
  const out = [];
  let pos = start + 8;
  while (pos < end) {
    const id = bytes[pos];
    const size = readLeb(bytes, pos + 1, end);
    if (!size) return undefined;
    const contentStart = pos + 1 + size.length;
    const contentEnd = contentStart + size.value;
    if (contentEnd > end) return undefined;
    out.push({ id, sizeStart: pos + 1, sizeLength: size.length, size: size.value, contentStart, contentEnd });
    pos = contentEnd;
  }
  return { component: bytes[start + 6] === 1, sections: out };
}

/**
 * A structure-aware edit: picks a section (descending into nested core modules and components), edits
 * bytes inside its contents, then rewrites the size of that section and of every enclosing one, so the
 * damage is found deep inside a well-framed binary instead of at the first size check. Sizes keep their
 * LEB128 width (padded) when the new value fits, as a producer that reserves size fields would.
 */
function mutateInsideSection(input, rng, edits) {
  const path = [];
  let start = 0;
  let end = input.length;
  for (;;) {
    const parsed = sectionsOf(input, start, end);
    if (!parsed || parsed.sections.length === 0) break;
    const sec = parsed.sections[rng.int(parsed.sections.length)];
    path.push(sec);
    if (parsed.component && (sec.id === 1 || sec.id === 4) && rng.chance(0.7)) {
      start = sec.contentStart;
      end = sec.contentEnd;
      continue;
    }
    break;
  }
  if (path.length === 0) return undefined;
  const inner = path[path.length - 1];
  const span = inner.contentEnd - inner.contentStart;
  const at = inner.contentStart + rng.int(span + 1);
  let deleteCount = 0;
  let insert = [];
  switch (rng.int(5)) {
    case 0: {
      if (span === 0) return undefined;
      const i = Math.min(at, inner.contentEnd - 1);
      deleteCount = 1;
      insert = [rng.chance(0.5) ? INTERESTING[rng.int(INTERESTING.length)] : rng.int(256)];
      edits.push(`section-set@${i}=${insert[0]}`);
      return apply(input, path, i, deleteCount, insert);
    }
    case 1:
      insert = Array.from({ length: 1 + rng.int(8) }, () => (rng.chance(0.5) ? INTERESTING[rng.int(INTERESTING.length)] : rng.int(256)));
      edits.push(`section-insert@${at}+${insert.length}`);
      break;
    case 2:
      deleteCount = Math.min(1 + rng.int(16), inner.contentEnd - at);
      edits.push(`section-delete@${at}-${deleteCount}`);
      break;
    case 3: {
      if (span === 0) return undefined;
      const from = inner.contentStart + rng.int(span);
      const k = Math.min(1 + rng.int(32), inner.contentEnd - from);
      insert = Array.from(input.subarray(from, from + k));
      edits.push(`section-dup@${from}-${k}->${at}`);
      break;
    }
    default: {
      // Bump the item count (the first LEB128 of most sections).
      const count = readLeb(input, inner.contentStart, inner.contentEnd);
      if (!count) return undefined;
      const next = Math.max(0, count.value + (rng.chance(0.5) ? 1 : -1));
      edits.push(`section-count@${inner.contentStart}=${next}`);
      return apply(input, path, inner.contentStart, count.length, writeLeb(next, count.length));
    }
  }
  return apply(input, path, at, deleteCount, insert);
}

function apply(input, path, at, deleteCount, insert) {
  // Edits in original coordinates, applied from the end so earlier positions stay valid.
  const ops = [{ at, deleteCount, insert }];
  let delta = insert.length - deleteCount;
  for (let i = path.length - 1; i >= 0; i--) {
    const sec = path[i];
    const leb = writeLeb(sec.size + delta, sec.sizeLength);
    ops.push({ at: sec.sizeStart, deleteCount: sec.sizeLength, insert: leb });
    delta += leb.length - sec.sizeLength;
  }
  let bytes = input;
  for (const op of ops.sort((a, b) => b.at - a.at)) bytes = splice(bytes, op.at, op.deleteCount, Uint8Array.from(op.insert));
  return bytes === input ? input.slice() : bytes;
}

/**
 * Applies 1-4 random edits to a copy of `input` (or, in 40% of cases, one structure-aware edit inside a
 * section, see mutateInsideSection): bit flips, byte overwrites (random or "interesting" values
 * such as LEB128 continuation bits and type codes), insertions, deletions, chunk duplication and
 * truncation. Returns the mutant and a short description of each edit.
 */
export function mutate(input, rng) {
  const edits = [];
  if (rng.chance(0.4)) {
    const structured = mutateInsideSection(input, rng, edits);
    if (structured) return { bytes: structured, edits };
    edits.length = 0;
  }
  let bytes = input.slice();
  const count = 1 + rng.int(4);
  for (let e = 0; e < count; e++) {
    const n = bytes.length;
    const at = rng.int(n + 1);
    switch (rng.int(9)) {
      case 0:
      case 1: {
        if (n === 0) break;
        const i = Math.min(at, n - 1);
        const bit = rng.int(8);
        bytes[i] ^= 1 << bit;
        edits.push(`flip@${i}.${bit}`);
        break;
      }
      case 2: {
        if (n === 0) break;
        const i = Math.min(at, n - 1);
        bytes[i] = rng.int(256);
        edits.push(`set@${i}=${bytes[i]}`);
        break;
      }
      case 3: {
        if (n === 0) break;
        const i = Math.min(at, n - 1);
        bytes[i] = INTERESTING[rng.int(INTERESTING.length)];
        edits.push(`set@${i}=${bytes[i]}`);
        break;
      }
      case 4: {
        const k = 1 + rng.int(8);
        const ins = new Uint8Array(k);
        for (let i = 0; i < k; i++) ins[i] = rng.chance(0.5) ? INTERESTING[rng.int(INTERESTING.length)] : rng.int(256);
        bytes = splice(bytes, at, 0, ins);
        edits.push(`insert@${at}+${k}`);
        break;
      }
      case 5: {
        if (n === 0) break;
        const k = Math.min(1 + rng.int(16), n - Math.min(at, n - 1));
        bytes = splice(bytes, Math.min(at, n - 1), k, new Uint8Array(0));
        edits.push(`delete@${Math.min(at, n - 1)}-${k}`);
        break;
      }
      case 6: {
        if (n === 0) break;
        const from = rng.int(n);
        const k = Math.min(1 + rng.int(32), n - from);
        bytes = splice(bytes, at, 0, bytes.slice(from, from + k));
        edits.push(`dup@${from}-${k}->${at}`);
        break;
      }
      case 7: {
        if (n === 0) break;
        const i = Math.min(at, n - 1);
        bytes[i] |= 0x80;
        edits.push(`cont@${i}`);
        break;
      }
      default: {
        if (!rng.chance(0.35)) { e--; continue; } // truncation ends the edits: keep it rarer
        bytes = bytes.slice(0, at);
        edits.push(`truncate@${at}`);
        e = count;
        break;
      }
    }
  }
  return { bytes, edits };
}

function splice(bytes, at, deleteCount, insert) {
  const out = new Uint8Array(bytes.length - deleteCount + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + deleteCount), at + insert.length);
  return out;
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function describe(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 300);
  return String(e).slice(0, 300);
}

/**
 * Decodes `bytes` with `options` and, if accepted, checks that encoding gives the same bytes.
 * @returns {{ accepted: true } | { accepted: false, code: string } | { failure: { kind: string, detail: string } }}
 */
export function checkDecode(api, bytes, options) {
  let ast;
  try {
    ast = api.decode(bytes, options);
  } catch (e) {
    if (!api.isDecodeError(e)) return { failure: { kind: 'escaped', detail: describe(e) } };
    if (!(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= bytes.length)) {
      return { failure: { kind: 'bad-error-offset', detail: `offset ${e.offset} of ${bytes.length}: ${e.message}` } };
    }
    return { accepted: false, code: String(e.code), expected: String(e.expected ?? '') };
  }
  let out;
  try {
    out = api.encode(ast);
  } catch (e) {
    return { failure: { kind: 'encode-threw', detail: describe(e) } };
  }
  const diff = firstDifference(out, bytes);
  if (diff !== -1) {
    return {
      failure: {
        kind: 'round-trip',
        detail: `re-encoded ${out.length} bytes vs ${bytes.length}, first difference at byte ${diff} (0x${diff.toString(16)})`,
      },
    };
  }
  return { accepted: true };
}

/** The outline pass must also throw nothing but DecodeError, and must accept whatever decode accepts. */
export function checkOutline(api, bytes, decodeAccepted) {
  if (typeof api.sections !== 'function') return undefined;
  try {
    api.sections(bytes);
  } catch (e) {
    if (!api.isDecodeError(e)) return { kind: 'outline-escaped', detail: describe(e) };
    if (decodeAccepted) return { kind: 'outline-rejects-accepted', detail: describe(e) };
  }
  return undefined;
}

const isCoreModule = (b) => b.length >= 8 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d && b[4] === 1 && b[5] === 0 && b[6] === 0 && b[7] === 0;

function engineValidates(bytes) {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** The mutant of case `caseIndex` of run `seed`: which input, which edits, the bytes. */
export function makeCase(corpus, seed, caseIndex) {
  const rng = createRng(caseSeed(seed, caseIndex));
  const input = corpus[rng.int(corpus.length)];
  const { bytes, edits } = mutate(input.bytes, rng);
  return { input, bytes, edits };
}

/**
 * Runs one case: the mutant is decoded with default options, with `{ instructions: true }` and with
 * `{ interfaceOnly: true }`.
 * @returns {{ input: string, edits: string[], bytes: Uint8Array, ms: number,
 *   plain: string, instructions: string, failures: { kind: string, mode: string, detail: string }[] }}
 */
export function runCase(api, corpus, seed, caseIndex, { timeLimitMs = 1000 } = {}) {
  const { input, bytes, edits } = makeCase(corpus, seed, caseIndex);
  const failures = [];
  const t0 = performance.now();
  const plain = checkDecode(api, bytes, undefined);
  const t1 = performance.now();
  const instr = checkDecode(api, bytes, { instructions: true });
  const t2 = performance.now();
  const outline = checkOutline(api, bytes, plain.accepted === true);
  const t3 = performance.now();
  // interfaceOnly skips code and data contents, so it may accept what the full decode rejects there,
  // but never the reverse, and it keeps the same contract (typed errors, exact round trips).
  const lean = checkDecode(api, bytes, { interfaceOnly: true });
  if (lean.failure) failures.push({ ...lean.failure, mode: 'interfaceOnly' });
  if (plain.accepted === true && lean.accepted === false) {
    failures.push({ kind: 'inconsistent', mode: 'interfaceOnly', detail: `rejected (${lean.code}) what the full decode accepts` });
  }
  // An oracle for core modules: whatever the engine validates is well-formed, so the decoder must read it.
  for (const [mode, r] of [['default', plain], ['instructions', instr]]) {
    if (r.accepted === false && isCoreModule(bytes) && engineValidates(bytes)) {
      failures.push({ kind: 'rejects-valid-module', mode, detail: `WebAssembly.validate accepts it; decode said ${r.code}` });
    }
  }
  if (plain.failure) failures.push({ ...plain.failure, mode: 'default' });
  if (instr.failure) failures.push({ ...instr.failure, mode: 'instructions' });
  if (outline) failures.push({ ...outline, mode: 'outline' });
  // The limit grows for big inputs (at least 5 MB/s is expected): a 12 MB component legitimately takes
  // over a second to decode with instructions.
  const limit = Math.max(timeLimitMs, bytes.length / 5000);
  for (const [mode, ms] of [['default', t1 - t0], ['instructions', t2 - t1], ['outline', t3 - t2]]) {
    if (ms > limit) failures.push({ kind: 'slow', mode, detail: `${ms.toFixed(0)} ms > ${limit.toFixed(0)} ms` });
  }
  const label = (r) => (r.failure ? 'failed' : r.accepted ? 'accepted' : `rejected:${r.code}`);
  return {
    input: input.name,
    edits,
    bytes,
    ms: t3 - t0,
    plain: label(plain),
    instructions: label(instr),
    instructionsExpected: instr.expected,
    failures,
  };
}

/** Tallies case results: accepted count and rejections by error code, per mode. */
export function createStats() {
  return { cases: 0, default: {}, instructions: {}, failures: 0, inconsistent: 0, slowest: { ms: 0, caseIndex: -1 } };
}

export function record(stats, result, caseIndex) {
  stats.cases++;
  stats.default[result.plain] = (stats.default[result.plain] ?? 0) + 1;
  stats.instructions[result.instructions] = (stats.instructions[result.instructions] ?? 0) + 1;
  if (result.failures.length > 0) stats.failures++;
  // Instruction decoding reads more, so it may reject what the default mode accepts, never the reverse.
  if (result.plain.startsWith('rejected') && result.instructions === 'accepted') stats.inconsistent++;
  if (result.ms > stats.slowest.ms) stats.slowest = { ms: result.ms, caseIndex };
}

/** True for corpus inputs that the reference suite asserts to be malformed (see make-corpus.mjs). */
export const isMalformedInput = (name) => name.includes('.malformed.');
/**
 * True for inputs a decoder may accept or reject: those the reference suite asserts to be invalid (some
 * are caught by a reader, e.g. a nested core module type) and the crafted ones (see craftedInputs).
 */
export const isInvalidInput = (name) => name.includes('.invalid.') || name.startsWith('crafted/');

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const MODULE_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * Hand-made inputs at and past the decoder's nesting limits (default maxDepth 100): components nested in
 * components, blocks nested in a function body, instance types declaring instance types. They must end
 * in a DecodeError (code `limit`) or a round trip, never a stack overflow.
 */
export function craftedInputs() {
  const out = [];
  const nestedComponents = (depth) => {
    // Built from the inside out; each level wraps the previous one in a component section (id 4).
    let inner = COMPONENT_PREAMBLE.slice();
    for (let i = 0; i < depth; i++) {
      const size = uleb(inner.length);
      const next = new Array(8 + 1 + size.length + inner.length);
      let o = 0;
      for (const b of COMPONENT_PREAMBLE) next[o++] = b;
      next[o++] = 4;
      for (const b of size) next[o++] = b;
      for (const b of inner) next[o++] = b;
      inner = next;
    }
    return Uint8Array.from(inner);
  };
  const nestedBlocks = (depth) => {
    const body = [0x00];
    for (let i = 0; i < depth; i++) body.push(0x02, 0x40);
    for (let i = 0; i <= depth; i++) body.push(0x0b);
    const code = [0x01, ...uleb(body.length), ...body];
    return Uint8Array.from([...MODULE_PREAMBLE, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, ...uleb(code.length), ...code]);
  };
  const nestedInstanceTypes = (depth) => {
    const t = [];
    for (let i = 0; i < depth; i++) t.push(0x42, 0x01, 0x01);
    t.push(0x42, 0x00);
    const section = [0x01, ...t];
    return Uint8Array.from([...COMPONENT_PREAMBLE, 7, ...uleb(section.length), ...section]);
  };
  for (const depth of [99, 100, 101, 2000]) out.push({ name: `crafted/nested-components-${depth}`, bytes: nestedComponents(depth) });
  for (const depth of [100, 5000]) out.push({ name: `crafted/nested-blocks-${depth}`, bytes: nestedBlocks(depth) });
  for (const depth of [98, 99, 100, 2000]) out.push({ name: `crafted/nested-instance-types-${depth}`, bytes: nestedInstanceTypes(depth) });
  return out;
}

/**
 * Checks every unmutated input (a baseline for the mutants). Each problem has a severity:
 * - `failure`: the same contract as for mutants is broken (a non-DecodeError escaped, a round trip is not
 *   exact...), or a fixture (a real toolchain's output) is rejected;
 * - `conformance`: a reference-suite component is rejected, or one the suite asserts to be malformed is
 *   accepted. The conformance runner tracks these with its expectations file; here they are reported only.
 * Inputs the suite asserts to be invalid may be accepted or rejected.
 */
export function checkSeeds(api, corpus, onInput = undefined) {
  const problems = [];
  for (const [i, { name, bytes }] of corpus.entries()) {
    onInput?.(i);
    for (const options of [undefined, { instructions: true }]) {
      const mode = options ? 'instructions' : 'default';
      const r = checkDecode(api, bytes, options);
      if (r.failure) problems.push({ name, mode, severity: 'failure', result: r.failure });
      else if (isMalformedInput(name) && r.accepted) {
        problems.push({ name, mode, severity: 'conformance', result: { kind: 'accepted-malformed', detail: 'the suite asserts this binary is malformed' } });
      } else if (!r.accepted && !isMalformedInput(name) && !isInvalidInput(name)) {
        const severity = name.startsWith('fixtures/') ? 'failure' : 'conformance';
        problems.push({ name, mode, severity, result: { kind: `rejected:${r.code}`, detail: '' } });
      }
    }
  }
  return problems;
}
