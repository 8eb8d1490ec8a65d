/**
 * A minimal WASI 0.2 host for command components: environment variables,
 * arguments, stdout/stderr, exit. Everything else a command may import
 * (filesystem, clocks, terminals, stdin) is present so the component links,
 * and answers "nothing there" (no preopens, no terminal) or throws when
 * called.
 *
 * It is deliberately small: enough to run a C program compiled for
 * `wasm32-wasi` and adapted to WASI 0.2 (`tools/fixtures/bin/hello-p2.wasm`),
 * and an example of writing host interfaces for this runtime as plain
 * objects and classes. Not a sandbox and not complete.
 *
 * @module
 */
import { camelCase } from './names.js';

/** Options of {@link minimalWasi}. */
export interface MinimalWasiOptions {
  /** Environment variables (`wasi:cli/environment.get-environment`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Command-line arguments (`get-arguments`). */
  readonly args?: readonly string[];
  /** Receives what the component writes to stdout. */
  readonly stdout?: (bytes: Uint8Array) => void;
  /** Receives what the component writes to stderr. */
  readonly stderr?: (bytes: Uint8Array) => void;
}

/** Thrown by `wasi:cli/exit.exit` to unwind the component; `code` is 0 for ok, 1 for err. */
export class WasiExit extends Error {
  override readonly name = 'WasiExit' as const;
  readonly code: number;
  constructor(code: number) {
    super(`exit with code ${code}`);
    this.code = code;
  }
}

/** An `output-stream` writing to a callback. */
class OutputStream {
  readonly #sink: (bytes: Uint8Array) => void;
  constructor(sink: (bytes: Uint8Array) => void) {
    this.#sink = sink;
  }
  checkWrite(): { tag: 'ok'; val: bigint } {
    return { tag: 'ok', val: 1n << 20n };
  }
  write(contents: Uint8Array): { tag: 'ok' } {
    this.#sink(Uint8Array.from(contents));
    return { tag: 'ok' };
  }
  blockingWriteAndFlush(contents: Uint8Array): { tag: 'ok' } {
    return this.write(contents);
  }
  flush(): { tag: 'ok' } {
    return { tag: 'ok' };
  }
  blockingFlush(): { tag: 'ok' } {
    return { tag: 'ok' };
  }
  subscribe(): never {
    throw new Error('wasi:io/streams output-stream.subscribe is not supported by the minimal host');
  }
}

/** An `input-stream` that is always at its end (stdin of the minimal host). */
class InputStream {
  read(): { tag: 'err'; val: { tag: 'closed' } } {
    return { tag: 'err', val: { tag: 'closed' } };
  }
  blockingRead(): { tag: 'err'; val: { tag: 'closed' } } {
    return this.read();
  }
  skip(): { tag: 'err'; val: { tag: 'closed' } } {
    return this.read();
  }
  blockingSkip(): { tag: 'err'; val: { tag: 'closed' } } {
    return this.read();
  }
}

/** An object whose every member is the given ones or, for any other name, a function that throws "not supported". */
function partial(name: string, members: Record<string, unknown>): Record<string, unknown> {
  // Annotated names (`[method]r.m`...) are left to the runtime's class and
  // method conventions; kebab-case names are tried as camelCase.
  return new Proxy(members, {
    has: (_target, key) => typeof key === 'string' && !key.startsWith('['),
    get(target, key) {
      if (typeof key !== 'string' || key.startsWith('[')) return undefined;
      if (key in target) return target[key];
      const c = camelCase(key);
      if (c in target) return target[c];
      return () => {
        throw new Error(`${name}.${key} is not supported by the minimal WASI host`);
      };
    },
  });
}

/**
 * The imports of a WASI 0.2 command for {@link instantiate}, keyed by
 * unversioned interface name (so any `@0.2.x` matches).
 */
export function minimalWasi(options: MinimalWasiOptions = {}): Record<string, unknown> {
  const ignore = (): void => {};
  const stdout = new OutputStream(options.stdout ?? ignore);
  const stderr = new OutputStream(options.stderr ?? ignore);
  const env = Object.entries(options.env ?? {});
  const args = [...(options.args ?? [])];
  return {
    'wasi:cli/environment': partial('wasi:cli/environment', {
      getEnvironment: () => env.map(([k, v]) => [k, v]),
      getArguments: () => args,
      initialCwd: () => undefined,
    }),
    'wasi:cli/exit': partial('wasi:cli/exit', {
      exit: (status: { tag: string }) => {
        throw new WasiExit(status.tag === 'ok' ? 0 : 1);
      },
    }),
    'wasi:io/error': partial('wasi:io/error', {}),
    'wasi:io/streams': partial('wasi:io/streams', { OutputStream, InputStream }),
    'wasi:cli/stdin': partial('wasi:cli/stdin', { getStdin: () => new InputStream() }),
    'wasi:cli/stdout': partial('wasi:cli/stdout', { getStdout: () => stdout }),
    'wasi:cli/stderr': partial('wasi:cli/stderr', { getStderr: () => stderr }),
    'wasi:cli/terminal-input': partial('wasi:cli/terminal-input', {}),
    'wasi:cli/terminal-output': partial('wasi:cli/terminal-output', {}),
    'wasi:cli/terminal-stdin': partial('wasi:cli/terminal-stdin', { getTerminalStdin: () => undefined }),
    'wasi:cli/terminal-stdout': partial('wasi:cli/terminal-stdout', { getTerminalStdout: () => undefined }),
    'wasi:cli/terminal-stderr': partial('wasi:cli/terminal-stderr', { getTerminalStderr: () => undefined }),
    'wasi:clocks/wall-clock': partial('wasi:clocks/wall-clock', {
      now: () => {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1e6 }),
    }),
    'wasi:filesystem/types': partial('wasi:filesystem/types', {}),
    'wasi:filesystem/preopens': partial('wasi:filesystem/preopens', { getDirectories: () => [] }),
  };
}

/**
 * Runs a WASI 0.2 command's `wasi:cli/run.run` export; returns the exit
 * code (0 when `run` returns ok or `exit(ok)` is called, 1 otherwise).
 */
export function runCommand(exports: Record<string, unknown>): number {
  const run = (exports['wasi:cli/run'] as { run?: () => { tag: string } } | undefined)?.run;
  if (typeof run !== 'function') throw new TypeError('the component does not export wasi:cli/run');
  try {
    return run().tag === 'ok' ? 0 : 1;
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    throw e;
  }
}
