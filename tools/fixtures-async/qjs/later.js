// The JS side of later.wit (componentize-qjs: `wit.Future` makes a future's two ends).
export async function later(x) {
  const { readable, writable } = wit.Future(wit.Future.U32);
  (async () => {
    await Promise.resolve();
    await writable.write(x * 2);
  })();
  return readable;
}

export async function describe(f) {
  return `future gave: ${await f.read()}`;
}

export async function countdown(n) {
  return (async function* () {
    for (let i = n; i > 0; i--) yield `${i}...`;
    yield 'liftoff';
  })();
}
