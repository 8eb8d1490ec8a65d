// The corpus pack format: many small binaries in one checked-in file (corpus/suite.pack).
// Layout: the 8 bytes "WCFUZZ1\n", then per entry: u16 LE name length, UTF-8 name, u32 LE size, bytes.
const MAGIC = new TextEncoder().encode('WCFUZZ1\n');

/** @param {{ name: string, bytes: Uint8Array }[]} entries @returns {Uint8Array} */
export function pack(entries) {
  const enc = new TextEncoder();
  const parts = [MAGIC];
  for (const { name, bytes } of entries) {
    const n = enc.encode(name);
    const head = new Uint8Array(6 + n.length);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, n.length, true);
    head.set(n, 2);
    dv.setUint32(2 + n.length, bytes.length, true);
    parts.push(head, bytes);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** @param {Uint8Array} data @returns {{ name: string, bytes: Uint8Array }[]} */
export function unpack(data) {
  for (let i = 0; i < MAGIC.length; i++) if (data[i] !== MAGIC[i]) throw new Error('not a corpus pack');
  const dec = new TextDecoder();
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = [];
  let o = MAGIC.length;
  while (o < data.length) {
    const nameLength = dv.getUint16(o, true);
    const name = dec.decode(data.subarray(o + 2, o + 2 + nameLength));
    const size = dv.getUint32(o + 2 + nameLength, true);
    const start = o + 6 + nameLength;
    out.push({ name, bytes: data.slice(start, start + size) });
    o = start + size;
  }
  return out;
}
