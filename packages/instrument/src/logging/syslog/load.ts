/**
 * Loads `winston-syslog` (and the RFC 5424 producer it formats with, `glossy`) only when syslog
 * shipping is turned on, so the package works without them when it is off.
 *
 * The package is compiled twice (ESM and CommonJS) from one source, without `import.meta`. In the
 * CommonJS build `require` exists and resolves from this file. In the ESM build it does not, so a
 * `require` is made with `createRequire`, anchored first at this module's own file (read from the
 * call stack, the only way to know it without `import.meta`), then at the application's working
 * directory (where an application that turns syslog on has installed `winston-syslog`).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Code of the error thrown when syslog is turned on but `winston-syslog` cannot be loaded. */
export const SYSLOG_DEPENDENCY_MISSING = 'PERISCOPE_SYSLOG_DEPENDENCY_MISSING';

/** Input of glossy's `produce()` (the subset we use). */
export interface ProduceInput {
  prival: number;
  host: string;
  appName: string;
  pid: string;
  date: Date;
  message: string;
}

/** glossy's RFC 5424 producer, as `winston-syslog` constructs it. */
export interface Rfc5424Producer {
  produce(input: ProduceInput): string | false;
}

type ProducerClass = new (options: { type: string; appName?: string; pid?: string }) => Rfc5424Producer;

/** What the shipper takes from `winston-syslog`. */
export interface SyslogLibrary {
  /** glossy's producer class: the one `winston-syslog` formats its messages with. */
  readonly Producer: ProducerClass;
  /** Version of `winston-syslog` found, for diagnostics. */
  readonly version: string;
}

let cached: SyslogLibrary | undefined;

/** The file this code runs from, read from a stack frame (`file://` URL in ESM, a path in CJS). */
function ownFile(): string | undefined {
  const frame = new Error().stack?.split('\n').find((line) => /load\.(?:js|ts)/.test(line));
  const match = frame && /((?:file:\/\/)?\/[^\s()]+?):\d+:\d+/.exec(frame);
  if (!match) return undefined;
  return match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1];
}

/** The `require` functions to try, most specific first. */
function requirers(): NodeJS.Require[] {
  const list: NodeJS.Require[] = [];
  if (typeof require === 'function') list.push(require);
  const self = ownFile();
  if (self) list.push(createRequire(self));
  list.push(createRequire(join(process.cwd(), 'package.json')));
  return list;
}

/**
 * Loads `winston-syslog` and its `glossy` producer once, synchronously.
 * @param candidates the `require` functions to try (tests pass their own)
 * @param cache whether to keep (and reuse) the result
 * @throws Error with `code: 'PERISCOPE_SYSLOG_DEPENDENCY_MISSING'` when they are not installed.
 */
export function loadSyslogLibrary(candidates: readonly NodeJS.Require[] = requirers(), cache = true): SyslogLibrary {
  if (cached && cache) return cached;
  let lastError: unknown;
  for (const req of candidates) {
    try {
      const entry = req.resolve('winston-syslog');
      // Loading winston-syslog checks its own peer (winston >= 3) and fails early if it is absent.
      req('winston-syslog');
      const own = createRequire(entry);
      const glossy = own('glossy') as { Produce: ProducerClass };
      const pkg = own('../package.json') as { version?: string };
      const library = Object.freeze({ Producer: glossy.Produce, version: String(pkg.version ?? 'unknown') });
      if (cache) cached = library;
      return library;
    } catch (err) {
      lastError = err;
    }
  }
  const reason = lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError);
  const err = new Error(
    `Invalid option "syslog": shipping logs to syslog needs the packages "winston-syslog" and "winston" - install them (npm install winston winston-syslog) or turn syslog off (${reason})`,
  );
  throw Object.assign(err, { code: SYSLOG_DEPENDENCY_MISSING });
}
