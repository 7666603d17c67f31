/**
 * Offline schema validation of rendered objects with the JSON schemas that `kubernetes-models`
 * and `@kubernetes-models/prometheus-operator` carry (no network, nothing downloaded).
 *
 * Their schemas check types, required fields, enums and patterns; they do not reject unknown
 * fields (no `additionalProperties: false`), so a misspelt optional key is caught only by the
 * semantic checks in checks.ts for the fields those look at.
 */
import { groupVersion, resourceId } from './resources.ts';
import type { Resource } from './resources.ts';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The module that holds the model classes of an apiVersion. */
export function modelModule(apiVersion: string): string {
  const { group, version } = groupVersion(apiVersion);
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  return group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

async function modelClass(resource: Resource): Promise<ModelClass | undefined> {
  try {
    const mod = (await import(modelModule(resource.apiVersion))) as Record<string, unknown>;
    const model = mod[resource.kind];
    return typeof model === 'function' ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/** Schema problems of each object (`Kind/ns/name: message`); an unknown kind is a problem too. */
export async function schemaProblems(resources: readonly Resource[]): Promise<string[]> {
  const problems: string[] = [];
  for (const resource of resources) {
    const Model = await modelClass(resource);
    if (!Model) {
      problems.push(`${resourceId(resource)}: no schema for ${resource.apiVersion} ${resource.kind}`);
      continue;
    }
    try {
      new Model(resource).validate();
    } catch (error) {
      problems.push(`${resourceId(resource)}: ${(error as Error).message}`);
    }
  }
  return problems;
}
