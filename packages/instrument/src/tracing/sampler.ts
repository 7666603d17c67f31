/**
 * The sampler from the standard variables `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`.
 * The default is parent-based always-on: a caller's sampled flag is honoured either way.
 */
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { optionValueError } from '../core/errors.js';

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

function ratio(arg: string | undefined): number {
  if (arg === undefined || arg.trim() === '') return 1;
  const r = Number(arg);
  if (!Number.isFinite(r) || r < 0 || r > 1) throw optionValueError('OTEL_TRACES_SAMPLER_ARG', arg, 'a number from 0 to 1');
  return r;
}

/** Builds the sampler the environment asks for. */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER || 'parentbased_always_on').trim().toLowerCase();
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio(env.OTEL_TRACES_SAMPLER_ARG));
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(env.OTEL_TRACES_SAMPLER_ARG)) });
    default:
      throw optionValueError('OTEL_TRACES_SAMPLER', env.OTEL_TRACES_SAMPLER, `one of ${SAMPLERS.join(', ')}`);
  }
}
