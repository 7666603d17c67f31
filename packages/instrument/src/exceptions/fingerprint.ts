/**
 * Error fingerprints: "the same bug" as one short, stable string.
 *
 * A fingerprint hashes the error's type, its `code` when it has a string one, and its top
 * application stack frames — each the file (relative to the application's root, `file://` URLs
 * and cache-busting queries removed) and the function name, never the line or column. Frames
 * from `node_modules` and Node's internals are left out, so the fingerprint survives restarts,
 * other instances, line shifts and dependency upgrades; the message is left out too, since it
 * carries IDs. Two bugs that throw the same message from different places get two fingerprints.
 */
import { createHash } from 'node:crypto';
import { serializeError } from '../logging/fields.js';

/** How many application frames a fingerprint covers. */
export const FINGERPRINT_FRAMES = 5;

/** Length of a fingerprint: the first 16 hex digits of a SHA-256. */
export const FINGERPRINT_LENGTH = 16;

/** One stack frame, as far as fingerprints use it. */
export interface StackFrame {
  /** Function name as V8 prints it (`Router.handle`, `new Pool`), or `<anonymous>`. */
  readonly fn: string;
  /** File path or URL as V8 prints it, without line and column. */
  readonly file: string;
}

/** Options of {@link fingerprint}. */
export interface FingerprintOptions {
  /** The application root that file paths are made relative to. Default: `process.cwd()`. */
  readonly root?: string;
  /** Application frames to hash. Default {@link FINGERPRINT_FRAMES}. */
  readonly frames?: number;
}

const FRAME_WITH_FN = /^\s*at (?:async )?(.*?) \((.*)\)$/;
const FRAME_BARE = /^\s*at (?:async )?(.*)$/;
const LINE_COL = /(?::\d+){1,2}$/;

/** Parses the `    at …` lines of a V8 stack into frames (other lines are skipped). */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    if (!/^\s*at /.test(line)) continue;
    const named = FRAME_WITH_FN.exec(line);
    const [fn, location] = named ? [named[1]!, named[2]!] : ['<anonymous>', FRAME_BARE.exec(line)![1]!];
    // `eval at f (file:1:2), <anonymous>:1:1`: the code was evaluated from that file.
    const evalAt = /^eval at .*? \((.*?)\)/.exec(location);
    frames.push({ fn, file: (evalAt ? evalAt[1]! : location).replace(LINE_COL, '') });
  }
  return frames;
}

function isInternal(file: string): boolean {
  // `index 0`: V8's location of `async Promise.all (index 0)`, an await in a combinator.
  return file.startsWith('node:') || file.startsWith('internal/') || file === 'native' || file === '<anonymous>' || file === '' || /^index \d+$/.test(file);
}

function isDependency(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}

/** A file location with the parts that differ between builds, hosts and restarts taken out. */
export function normalizeFile(file: string, root: string): string {
  let path = file;
  if (path.startsWith('file://')) {
    try {
      path = decodeURIComponent(new URL(path).pathname);
    } catch {
      path = path.slice('file://'.length);
    }
  }
  path = path.replace(/[?#].*$/, '').replace(/\\/g, '/');
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  if (base !== '' && path.startsWith(`${base}/`)) return path.slice(base.length + 1);
  // A dependency outside the root (a global install, a monorepo's hoisted modules): from node_modules on.
  const nm = path.lastIndexOf('/node_modules/');
  return nm >= 0 ? path.slice(nm + 1) : path;
}

/** The frames a fingerprint is made of: application frames, or dependency frames when there are none. */
export function fingerprintFrames(stack: string, options: FingerprintOptions = {}): string[] {
  const root = options.root ?? process.cwd();
  const max = options.frames ?? FINGERPRINT_FRAMES;
  const frames = parseStack(stack).filter((f) => !isInternal(f.file));
  const app = frames.filter((f) => !isDependency(f.file));
  const chosen = app.length > 0 ? app : frames;
  return chosen.slice(0, max).map((f) => `${normalizeFile(f.file, root)} ${f.fn}`);
}

/** What identifies a thrown value that is not an Error: its type, and an object's sorted keys. */
function shapeOf(err: unknown): string {
  if (err !== null && typeof err === 'object') return Object.keys(err).sort().join(',');
  return '';
}

/** An Error, or an error already serialized (`{ type, message, stack }`, e.g. read back from a log line). */
function stackOf(err: unknown): string | undefined {
  if (err instanceof Error) return typeof err.stack === 'string' ? err.stack : '';
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { type?: unknown; stack?: unknown };
  return typeof e.type === 'string' && typeof e.stack === 'string' ? e.stack : undefined;
}

/**
 * The fingerprint of anything thrown (or of an error serialized with its stack): 16 hex
 * digits, equal for the same bug. A value thrown without a stack (a string, a plain object) is
 * identified by its type and, for an object, its keys.
 *
 * @example
 * fingerprint(err) // 16 hex digits; the same for this bug in every process, whatever err.message says
 */
export function fingerprint(err: unknown, options: FingerprintOptions = {}): string {
  const { type } = serializeError(err);
  const parts = [type];
  const stack = stackOf(err);
  if (stack !== undefined) {
    const code = (err as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? code : '', ...fingerprintFrames(stack, options));
  } else {
    parts.push(shapeOf(err));
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, FINGERPRINT_LENGTH);
}
