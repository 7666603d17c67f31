/**
 * How Prometheus finds the services to scrape, by convention rather than by list: a service opts
 * in with a label (Kubernetes, containers) or a line in a targets file (local), and its `job` —
 * the service name every dashboard and alert keys on — comes from the target, never from a list
 * kept in this repository.
 */

/** Kubernetes: labels on a pod (its Deployment's pod template) that the one PodMonitor reads. */
export const KUBERNETES = Object.freeze({
  /** A pod carrying this label with the value `"true"` is scraped. */
  scrapeLabel: 'periscope.dev/scrape',
  /** The pod's service name, which becomes `job` (the recommended Kubernetes name label). */
  serviceLabel: 'app.kubernetes.io/name',
  /** Optional: the owning team, which becomes the `team` label Alertmanager routes by. */
  teamLabel: 'periscope.dev/team',
  /** The name of the container port that serves /metrics. */
  metricsPort: 'metrics',
});

/** Containers (the compose file): labels on a container that Prometheus' Docker discovery reads. */
export const CONTAINERS = Object.freeze({
  /** A container carrying this label with the value `"true"` is scraped. */
  scrapeLabel: 'periscope.scrape',
  /** The service name, which becomes `job`; the compose service name when absent. */
  serviceLabel: 'periscope.service',
  /** Optional: the owning team. */
  teamLabel: 'periscope.team',
  /** The container port that serves /metrics. */
  metricsPortLabel: 'periscope.metrics-port',
});

/**
 * Local: Prometheus reads its service targets from JSON files (`file_sd`) in one folder; each file
 * holds target groups `{ "targets": ["127.0.0.1:8181"], "labels": { "job": "users" } }`, and a
 * file added or changed there is picked up within {@link FILE_SD.refreshInterval}.
 */
export const FILE_SD = Object.freeze({
  /** The scrape job whose targets come from the files; each target's own `job` label replaces it. */
  jobName: 'services',
  /** The file pattern, relative to the folder of the targets files. */
  pattern: '*.json',
  refreshInterval: '5s',
});
