/**
 * Which suite files the `.wast` run covers and where they are.
 *
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The reference suite (WebAssembly/component-model `test/`); override with COMPONENT_MODEL_TESTS. */
export const SUITE_DIR: string =
  process.env['COMPONENT_MODEL_TESTS'] ?? fileURLToPath(new URL('../../../../../shared/component-model/test/', import.meta.url));

/** The folders issue 4 must pass, in report order. */
export const REQUIRED_FOLDERS: readonly string[] = ['binary', 'values', 'resources', 'validation', 'linking'];

/**
 * Folders that run but are expected to fail as whole files, with the reason
 * (one expectations entry per file, not per directive).
 */
export const WHOLE_FILE_FOLDERS: Readonly<Record<string, string>> = {};

/** All folders of the run. */
export const FOLDERS: readonly string[] = [...REQUIRED_FOLDERS, 'async'];

/** The `.wast` files of `folders` under `dir`, as `folder/file.wast`, sorted within each folder. */
export function suiteFiles(dir: string = SUITE_DIR, folders: readonly string[] = FOLDERS): string[] {
  const out: string[] = [];
  for (const f of folders) {
    let names: string[];
    try {
      names = readdirSync(join(dir, f), { encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const n of names.filter((x) => x.endsWith('.wast')).sort()) out.push(`${f}/${n}`);
  }
  return out;
}

/** A suite file's text. */
export function readSuite(file: string, dir: string = SUITE_DIR): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** The checked-in expectations of the `.wast` run. */
export const EXPECTATIONS_PATH: string = fileURLToPath(new URL('../../expectations/wast.json', import.meta.url));
