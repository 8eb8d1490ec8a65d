import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { modulesOf, parseWast } from '../../../../tools/wast/src/index.js';
import { isValidationError } from '../errors.js';
import { validate } from './index.js';

// The reference suite (WebAssembly/component-model `test/`); override with COMPONENT_MODEL_TESTS.
const suiteDir = process.env['COMPONENT_MODEL_TESTS'] ?? fileURLToPath(new URL('../../../../../shared/component-model/test/', import.meta.url));
const DIRS = ['validation', 'binary', 'resources', 'values', 'linking'];

/** Known failures, by `file#ordinal` (ordinal of the module form in the file, see tools/wast `modulesOf`), with the reason. */
const expectations: Record<string, string> = JSON.parse(readFileSync(new URL('./expectations.json', import.meta.url), 'utf8')) as Record<string, string>;

interface Case {
  readonly id: string;
  readonly expect: 'valid' | 'invalid';
  readonly line: number;
  readonly message: string;
  readonly bytes: Uint8Array;
}

async function loadCases(): Promise<Case[]> {
  const out: Case[] = [];
  for (const dir of DIRS) {
    const files = readdirSync(join(suiteDir, dir)).filter((f) => f.endsWith('.wast')).sort();
    for (const f of files) {
      const script = parseWast(readFileSync(join(suiteDir, dir, f), 'utf8'), `${dir}/${f}`);
      for (const o of modulesOf(script)) {
        if (o.module.kind !== 'component') continue;
        const d = o.directive;
        const expect = d.kind === 'assert_invalid' ? 'invalid' : d.kind === 'component' ? 'valid' : undefined;
        if (expect === undefined) continue;
        const bytes = o.module.form === 'binary' ? o.module.bytes : await parse(o.module.wat);
        out.push({ id: `${dir}/${f}#${o.index}`, expect, line: o.module.span.line, message: d.kind === 'assert_invalid' ? d.message : '', bytes });
      }
    }
  }
  return out;
}

describe.skipIf(!existsSync(suiteDir))('the validator on the component-model suite', () => {
  it('should accept every valid component and reject every assert_invalid one, except the listed expectations', async () => {
    const cases = await loadCases();
    const unexpected: string[] = [];
    const fixed: string[] = [];
    const counts = { acceptedValid: 0, rejectedValid: 0, rejectedInvalid: 0, acceptedInvalid: 0, expectedFailures: 0 };
    for (const c of cases) {
      let error: unknown;
      try {
        validate(c.bytes);
      } catch (e) {
        error = e;
      }
      if (error !== undefined && !isValidationError(error)) throw error;
      const ok = c.expect === 'valid' ? error === undefined : error !== undefined;
      if (c.expect === 'valid') counts[ok ? 'acceptedValid' : 'rejectedValid']++;
      else counts[ok ? 'rejectedInvalid' : 'acceptedInvalid']++;
      const listed = expectations[c.id];
      if (listed !== undefined) {
        if (ok) fixed.push(`${c.id} (line ${c.line}) passes now; remove it from expectations.json`);
        else counts.expectedFailures++;
        continue;
      }
      if (!ok) {
        const why = c.expect === 'valid' ? `rejected a valid component: ${(error as Error).message}` : `accepted an invalid component (expected "${c.message}")`;
        unexpected.push(`${c.id} (line ${c.line}): ${why}`);
      }
    }
    console.log(
      `validator: ${cases.length} components; valid accepted ${counts.acceptedValid}, valid rejected ${counts.rejectedValid}; ` +
        `invalid rejected ${counts.rejectedInvalid}, invalid accepted ${counts.acceptedInvalid}; ${counts.expectedFailures} expected failures`,
    );
    expect(fixed).toEqual([]);
    expect(unexpected).toEqual([]);
  }, 120_000);
});
