/**
 * Renders a kustomization with the real kustomize (`kubectl kustomize` of the pinned kubectl in
 * tools/kubectl/, fetched on first use), as a YAML stream or as parsed objects:
 *
 *   node deploy/k8s/src/render.ts deploy/k8s/overlays/dev | kubectl apply --server-side -f -
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubectlError, kustomize } from '../../../tools/kubectl/kubectl.ts';
import { isObject, parseDocuments } from './resources.ts';
import type { Resource } from './resources.ts';

/** The objects `kubectl kustomize dir` renders, in its order. */
export function render(dir: string): Resource[] {
  return parseDocuments(kustomize(dir), `kubectl kustomize ${dir}`).map((doc) => {
    if (!isObject(doc) || typeof doc.kind !== 'string' || !isObject(doc.metadata)) throw new SyntaxError(`kubectl kustomize ${dir}: a document is not an object`);
    return doc as Resource;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node deploy/k8s/src/render.ts <kustomization dir>\n');
    process.exit(2);
  }
  try {
    process.stdout.write(kustomize(resolve(dir)));
  } catch (error) {
    if (!(error instanceof KubectlError)) throw error;
    process.stderr.write(`render: ${error.message}\n`);
    process.exit(1);
  }
}
