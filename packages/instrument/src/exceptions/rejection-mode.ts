/**
 * Node's `--unhandled-rejections` mode, read the way Node reads it: the command line
 * (`process.execArgv`) over `NODE_OPTIONS`, `throw` when neither sets it.
 */

/** The modes Node knows (see `node --help`). */
export const REJECTION_MODES = ['throw', 'strict', 'warn', 'none', 'warn-with-error-code'] as const;

/** One of {@link REJECTION_MODES}. */
export type RejectionMode = (typeof REJECTION_MODES)[number];

const FLAG = '--unhandled-rejections';

function fromArgs(args: readonly string[]): RejectionMode | undefined {
  let mode: RejectionMode | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg.startsWith(`${FLAG}=`)) value = arg.slice(FLAG.length + 1);
    else if (arg === FLAG) value = args[++i];
    if (value !== undefined && (REJECTION_MODES as readonly string[]).includes(value)) mode = value as RejectionMode;
  }
  return mode;
}

/**
 * The mode this process runs with.
 * @example unhandledRejectionsMode(['--unhandled-rejections=warn'], '') // 'warn'
 */
export function unhandledRejectionsMode(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): RejectionMode {
  const fromEnv = fromArgs((nodeOptions ?? '').split(/\s+/).filter(Boolean));
  return fromArgs(execArgv) ?? fromEnv ?? 'throw';
}

/** True when Node turns an unhandled rejection into an uncaught exception (`throw`, `strict`). */
export function rejectionsBecomeExceptions(mode: RejectionMode): boolean {
  return mode === 'throw' || mode === 'strict';
}
