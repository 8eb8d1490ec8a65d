// The JS side of text.wit (componentize-qjs: ES module, exports by camelCase name, imports by interface name).
import host from 'fixtures:qjs-text/host';

export async function greet(name) {
  await Promise.resolve();
  return `hello, ${host.decorate(name)}`;
}

export async function upper(lines) {
  return (async function* () {
    for await (const line of lines) yield line.toUpperCase();
  })();
}

export async function countWords(lines) {
  let words = 0;
  for await (const line of lines) words += line.split(/\s+/).filter(Boolean).length;
  return words;
}
