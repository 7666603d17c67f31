/** The error of the Kubernetes generators: a source file they cannot turn into a manifest. */

/** A source (rules file, dashboard, Alloy config, file name) that cannot be turned into a manifest; the message names it. */
export class GenerateError extends Error {
  readonly code = 'PERISCOPE_K8S_GENERATE';
  constructor(message: string) {
    super(message);
    this.name = 'GenerateError';
  }
}
