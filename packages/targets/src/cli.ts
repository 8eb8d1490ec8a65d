/**
 * The `targets` command: `targets list`, `targets show T`, `targets spec T`,
 * `targets cfg T`, `targets check FILE [--target T]`.
 *
 * Written against a small {@link CliIo} so it runs (and is tested) without
 * Node; `bin/targets.js` wires it to the process. It will move into the
 * project's CLI package when there is one.
 *
 * @module
 */
import { cfgList } from './cfg.js';
import type { Classification } from './classify.js';
import { isTargetError } from './errors.js';
import { classify } from './inspect.js';
import { getTarget, listTargets } from './lookup.js';
import { requirements } from './requirements.js';
import { formatTargetSpecJson } from './spec-json.js';
import type { TargetDefinition } from './types.js';
import { formatRustcRange } from './version.js';

/** What the CLI needs from its host. */
export interface CliIo {
  /** Read a whole file. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Write to standard output. */
  readonly out: (text: string) => void;
  /** Write to standard error. */
  readonly err: (text: string) => void;
}

/** The usage text. */
export const USAGE: string = `Usage: targets <command> [options]

Commands:
  list                      every target, one line each
  show <target>             all facts of a target (a triple or an alias)
  spec <target>             the rustc target-spec JSON of a target
  cfg <target>              the cfgs, as \`rustc --print cfg\` prints them
  check <file> [--target T] which targets a .wasm fits, and why not the others

Options:
  --rustc <version>         facts for this rustc (default: the newest the registry knows)
  --json                    machine-readable output (list, show, check)
  --nightly                 cfg: include the cfgs of unstable features
`;

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

function parseArgs(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set(['--rustc', '--target']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(0, eq), a.slice(eq + 1));
      else if (valued.has(a)) {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${a} needs a value`);
        flags.set(a, v);
      } else flags.set(a, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

class UsageError extends Error {}

function pad(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function listText(targets: readonly TargetDefinition[]): string {
  const rows = [['TARGET', 'TIER', 'STATUS', 'ARTIFACT', 'WASI', 'STD', 'THREADS', 'RUSTC']];
  for (const t of targets) rows.push([t.triple, String(t.tier), t.status, t.artifact, t.wasi, t.std, t.threads, formatRustcRange(t.rustc)]);
  return pad(rows);
}

function showText(t: TargetDefinition, notice: string | undefined): string {
  const req = requirements(t);
  const lines = [
    ...(notice === undefined ? [] : [`note: ${notice}`, '']),
    `${t.triple}: ${t.summary}`,
    '',
    `  rustc          ${formatRustcRange(t.rustc)}`,
    `  tier / status  ${t.tier} / ${t.status}`,
    `  aliases        ${t.aliases.map((a) => a.name).join(', ') || '-'}`,
    `  artifact       ${t.artifact}`,
    `  WASI           ${t.wasi}`,
    `  std            ${t.std}`,
    `  threads        ${t.threads}`,
    `  panic          ${t.panicStrategy}`,
    `  features       ${t.features.join(', ')}${t.featuresFixed ? ' (fixed)' : ''}`,
    `  llvm target    ${t.llvmTarget}${t.cpu === undefined ? '' : ` (cpu ${t.cpu})`}`,
    `  linker         ${t.linker.linker} (${t.linker.flavor})`,
    `  link args      ${(t.linker.preLinkArgs['wasm-lld'] ?? []).join(' ')}`,
    `  cfg            target_os="${t.cfg.os}" target_env="${t.cfg.env}" target_family="${t.cfg.family.join(',')}"${t.cfg.extra.map((e) => ` ${e}`).join('')}`,
    `  imports        ${t.imports.wasi.map((r) => r.pattern).join(', ') || 'no WASI'}${t.imports.foreign ? ' (+ the code\'s own imports)' : ''}`,
    `  command export ${t.commandExports === 'any' ? 'any (left to the code)' : t.commandExports.map((e) => `${e.pattern} (${e.mode})`).join(', ') || '-'}`,
    `  must export    ${t.requiredExports.map((e) => (e.ifImports === undefined ? e.name : `${e.name} (if it imports ${e.ifImports})`)).join(', ') || '-'}`,
    '',
    'Host requirements:',
    ...(req.required.length === 0 ? ['  (core wasm only)'] : req.required.map((r) => `  - ${r.feature}: ${r.description}`)),
    ...(req.optional.length === 0 ? [] : ['If the binary uses them:', ...req.optional.map((r) => `  - ${r.feature}: ${r.description}`)]),
    '',
    `Verified with rustc: ${t.provenance.verifiedWith.join(', ') || 'none (not in a released rustc)'}`,
    ...t.provenance.references.map((r) => `  ${r}`),
    ...(t.provenance.note === undefined ? [] : [`  ${t.provenance.note}`]),
  ];
  return lines.join('\n') + '\n';
}

function checkText(file: string, c: Classification): string {
  const lines = [`${file}: ${c.artifact}${c.best === undefined ? ', fits no known target' : `, best fit ${c.best}`}`];
  for (const v of c.verdicts) {
    lines.push(`  ${v.fits ? 'fits    ' : 'no      '}${v.triple}`);
    for (const r of v.reasons) lines.push(`      ${r.severity === 'error' ? '-' : 'note:'} ${r.message}`);
    if (v.fits) for (const e of v.evidence) lines.push(`      + ${e}`);
  }
  if (!c.facts.instructionsScanned) lines.push('  (instruction bodies were not decoded; features seen only in instructions are unchecked)');
  return lines.join('\n') + '\n';
}

function needTarget(p: Parsed, cmd: string): string {
  const name = p.positional[1];
  if (name === undefined) throw new UsageError(`${cmd} needs a target`);
  return name;
}

/**
 * Run the CLI.
 *
 * @param argv - the arguments after the program name
 * @returns the exit code: 0 ok (for `check`: the binary fits the target, or some target),
 *   1 does not fit, 2 usage or input error
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const p = parseArgs(argv);
    const cmd = p.positional[0];
    const rustc = p.flags.get('--rustc');
    const opts = typeof rustc === 'string' ? { rustc } : {};
    const json = p.flags.has('--json');
    switch (cmd) {
      case 'list': {
        const targets = listTargets(opts);
        io.out(json ? `${JSON.stringify(targets, null, 2)}\n` : listText(targets));
        return 0;
      }
      case 'show': {
        const found = getTarget(needTarget(p, 'show'), opts);
        if (json) io.out(`${JSON.stringify({ ...found, requirements: requirements(found.target) }, null, 2)}\n`);
        else io.out(showText(found.target, found.notice));
        return 0;
      }
      case 'spec': {
        const found = getTarget(needTarget(p, 'spec'), opts);
        if (found.notice !== undefined) io.err(`note: ${found.notice}\n`);
        io.out(formatTargetSpecJson(found.target));
        return 0;
      }
      case 'cfg': {
        const found = getTarget(needTarget(p, 'cfg'), opts);
        if (found.notice !== undefined) io.err(`note: ${found.notice}\n`);
        io.out(`${cfgList(found.target, { nightly: p.flags.has('--nightly') }).join('\n')}\n`);
        return 0;
      }
      case 'check': {
        const file = p.positional[1];
        if (file === undefined) throw new UsageError('check needs a file');
        const target = p.flags.get('--target');
        const targets = typeof target === 'string' ? [target] : undefined;
        if (typeof target === 'string') {
          const found = getTarget(target, opts);
          if (found.notice !== undefined) io.err(`note: ${found.notice}\n`);
        }
        const bytes = await io.readFile(file);
        const c = classify(bytes, targets === undefined ? opts : { ...opts, targets });
        if (json) {
          const { facts, verdicts, ...rest } = c;
          io.out(`${JSON.stringify({ ...rest, verdicts: verdicts.map(({ target: _t, ...v }) => v), facts }, null, 2)}\n`);
        } else io.out(checkText(file, c));
        return c.fits.length > 0 ? 0 : 1;
      }
      case undefined:
      case 'help':
      case '--help':
        io.out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`targets: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (isTargetError(e) || (e instanceof Error && e.name === 'WasmDecodeError')) {
      io.err(`targets: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
