import { join } from 'node:path';
import { PLATFORM_TOPICS, groupTopics } from '@chat/contracts';
import { OPS_PATHS } from '@chat/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { kustomizeBuild } from './support/kustomize.js';
import { K8S_DIR, type Manifest, baseManifests, envReadBy, parseManifests } from './support/manifests.js';

interface Container {
  name: string;
  ports: { name: string; containerPort: number }[];
  env?: { name: string }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe: { httpGet: { path: string; port: string | number } };
  livenessProbe: { httpGet: { path: string; port: string | number } };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  securityContext: {
    runAsNonRoot: boolean;
    readOnlyRootFilesystem: boolean;
    allowPrivilegeEscalation: boolean;
    capabilities: { drop: string[] };
  };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { terminationGracePeriodSeconds: number; containers: Container[] };
}
type Selector = { matchLabels: Record<string, string> };

/** Variables a service parses that a deployment must leave unset. */
const NEVER_SET: Record<string, string> = {
  PERSISTENCE_FAILPOINT: 'fault injection for crash tests: set, it kills the worker on purpose',
  OTEL_SDK_DISABLED: 'a kill switch: set, it drops the context that carries correlation ids into logs',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:
    'overrides OTEL_EXPORTER_OTLP_ENDPOINT for traces alone; the base sets that one',
};
/** Each service: the config variable holding its HTTP port and the one holding its drain timeout. */
const SERVICES = {
  chat: { port: 'PORT', drain: 'CHAT_DRAIN_TIMEOUT_MS' },
  room: { port: 'PORT', drain: 'DRAIN_TIMEOUT_MS' },
  persistence: { port: 'PERSISTENCE_HTTP_PORT', drain: 'PERSISTENCE_DRAIN_TIMEOUT_MS' },
} as const;

const manifests = baseManifests();
const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (kind: string, name: string) =>
  ofKind(kind).find((manifest) => manifest.metadata.name === name) ?? expect.fail(`no ${kind} ${name}`);
const spec = <T>(manifest: Manifest) => manifest.spec as T;
const template = (deployment: Manifest) => spec<{ template: PodTemplate }>(deployment).template;
const configData = (name: string) => (named('ConfigMap', name).data ?? {}) as Record<string, string>;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('k8s manifests', () => {
  it('parse, and every selector matches the pod labels of a Deployment', () => {
    const podLabels = ofKind('Deployment').map((deployment) => template(deployment).metadata.labels);
    for (const deployment of ofKind('Deployment')) {
      const { matchLabels } = spec<{ selector: Selector }>(deployment).selector;
      expect(selects(matchLabels, template(deployment).metadata.labels), deployment.file).toBe(true);
    }
    for (const service of ofKind('Service')) {
      const { selector } = spec<{ selector: Record<string, string> }>(service);
      expect(
        podLabels.filter((labels) => selects(selector, labels)),
        service.file,
      ).toHaveLength(1);
    }
    for (const pdb of ofKind('PodDisruptionBudget')) {
      const { selector } = spec<{ selector: Selector }>(pdb);
      expect(
        podLabels.filter((labels) => selects(selector.matchLabels, labels)),
        pdb.file,
      ).toHaveLength(1);
    }
    for (const hpa of ofKind('HorizontalPodAutoscaler')) {
      const { scaleTargetRef } = spec<{ scaleTargetRef: { kind: string; name: string } }>(hpa);
      expect(named(scaleTargetRef.kind, scaleTargetRef.name).kind).toBe('Deployment');
    }
  });

  describe.each(Object.entries(SERVICES))('%s', (service, keys) => {
    const deployment = named('Deployment', service);
    const pod = template(deployment);
    const [container] = pod.spec.containers;
    const config = configData(`${service}-config`);

    it('probes the runtime health paths on the port the service listens on', () => {
      const port = container!.ports.find((candidate) => candidate.name === 'http')!;
      expect(port.containerPort).toBe(Number(config[keys.port]));
      expect(container!.readinessProbe.httpGet).toEqual({ path: OPS_PATHS.readiness, port: 'http' });
      expect(container!.livenessProbe.httpGet).toEqual({ path: OPS_PATHS.liveness, port: 'http' });
      const servicePorts = spec<{ ports: { targetPort: string }[] }>(named('Service', service)).ports;
      expect(servicePorts.map((entry) => entry.targetPort)).toEqual(['http']);
    });

    it('sets every environment variable the service reads', () => {
      const set = new Set([
        ...(container!.env ?? []).map((entry) => entry.name),
        ...(container!.envFrom ?? []).flatMap((source) => Object.keys(configData(source.configMapRef!.name))),
      ]);
      const read = envReadBy(service).filter((name) => !(name in NEVER_SET));
      expect(read.length).toBeGreaterThan(3);
      expect(read.filter((name) => !set.has(name))).toEqual([]);
      for (const name of Object.keys(NEVER_SET)) expect(set.has(name), name).toBe(false);
    });

    it('runs locked down, bounded, and outlives its own drain on SIGTERM', () => {
      expect(container!.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(Object.keys(container!.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container!.resources.limits).sort()).toEqual(['cpu', 'memory']);
      const preStopMs = (container!.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        preStopMs + Number(config[keys.drain]),
      );
      expect(named('PodDisruptionBudget', service)).toBeTruthy();
      expect(named('HorizontalPodAutoscaler', service)).toBeTruthy();
    });
  });

  it('declares every platform topic and the DLQ and processed topics of the fixed consumer groups', () => {
    const topics = new Map(
      ofKind('KafkaTopic').map((topic) => {
        const body = spec<{ topicName: string; partitions: number; config: Record<string, string> }>(topic);
        return [body.topicName, body];
      }),
    );
    for (const platform of PLATFORM_TOPICS) {
      expect(topics.get(platform.name), platform.name).toMatchObject({
        partitions: platform.partitions,
        config: platform.config,
      });
    }
    const persistenceGroup = configData('persistence-config').PERSISTENCE_GROUP_ID!;
    const cacheGroup = configData('chat-config').CHAT_RECENT_CACHE_GROUP!;
    for (const name of [
      groupTopics.deadLetter(persistenceGroup),
      groupTopics.deadLetter(cacheGroup),
      groupTopics.processed(cacheGroup),
    ]) {
      expect(topics.has(name), name).toBe(true);
    }
    expect(topics.get(groupTopics.processed(cacheGroup))?.config['cleanup.policy']).toBe('compact,delete');
  });

  describe('kustomize build', () => {
    const built: Record<string, Manifest[]> = {};
    beforeAll(async () => {
      for (const overlay of ['dev', 'prod']) {
        const dir = join(K8S_DIR, 'overlays', overlay);
        built[overlay] = parseManifests(await kustomizeBuild(dir), `overlays/${overlay}`);
      }
      // The first run builds kustomize with Go (a few minutes); later runs use the cached binary.
    }, 900_000);

    it.each(['dev', 'prod'])('%s builds, namespaced, with all three services', (overlay) => {
      const objects = built[overlay]!;
      const deployments = objects.filter((object) => object.kind === 'Deployment');
      expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([
        'chat',
        'persistence',
        'room',
      ]);
      for (const object of objects) {
        expect(
          (object.metadata as { namespace?: string }).namespace,
          `${object.kind} ${object.metadata.name}`,
        ).toBe(`chat-${overlay}`);
      }
      expect(objects.some((object) => object.kind === 'Secret')).toBe(overlay === 'dev');
    });
  });
});
