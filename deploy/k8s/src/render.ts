/**
 * Prints an overlay as one YAML stream, like `kustomize build DIR`:
 *
 *   node deploy/k8s/src/render.ts deploy/k8s/overlays/dev | kubectl apply -f -
 */
import { resolve } from 'node:path';
import { build, toYaml } from '../../../tools/kustomize/render.ts';
import { KustomizeError } from '../../../tools/kustomize/types.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node deploy/k8s/src/render.ts <kustomization dir>\n');
  process.exit(2);
}
try {
  process.stdout.write(toYaml(build(resolve(dir))));
} catch (error) {
  if (!(error instanceof KustomizeError)) throw error;
  process.stderr.write(`render: ${error.message}\n`);
  process.exit(1);
}
