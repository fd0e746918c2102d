import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PLATFORM_TOPICS, groupTopics } from '@chat/contracts';
import { OPS_PATHS } from '@chat/runtime';
import { CHAT_ENV, PERSISTENCE_ENV, SERVICE_ENV, type ServiceName } from '@chat/service-env';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import { routeFor, routesOf } from './support/ingress-routes.js';
import { validateManifests } from './support/k8s-validate.js';
import { kustomizeBuild } from './support/kustomize.js';
import { K8S_DIR, type Manifest, baseManifests, envReadBy, parseManifests } from './support/manifests.js';

interface Container {
  name: string;
  ports: { name: string; containerPort: number }[];
  env?: {
    name: string;
    valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
  }[];
  volumeMounts?: { name: string; mountPath: string }[];
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
  spec: {
    terminationGracePeriodSeconds: number;
    containers: Container[];
    volumes?: { name: string; secret?: { secretName: string } }[];
  };
}
type Selector = { matchLabels: Record<string, string> };

/** Variables a service parses that a deployment must leave unset. */
const NEVER_SET: Record<string, string> = {
  [PERSISTENCE_ENV.failpoint.name]: 'fault injection for crash tests: set, it kills the worker on purpose',
  OTEL_SDK_DISABLED: 'a kill switch: set, it drops the context that carries correlation ids into logs',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:
    'overrides OTEL_EXPORTER_OTLP_ENDPOINT for traces alone; the base sets that one',
};
/** Each service: the config variable holding its HTTP port and the one holding its drain timeout. */
const SERVICES = Object.fromEntries(
  Object.entries(SERVICE_ENV).map(([name, { env }]) => [
    name as ServiceName,
    { port: env.port.name, drain: env.drainTimeoutMs.name },
  ]),
) as Record<ServiceName, { port: string; drain: string }>;

const manifests = baseManifests();
const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (kind: string, name: string) =>
  ofKind(kind).find((manifest) => manifest.metadata.name === name) ?? expect.fail(`no ${kind} ${name}`);
/** The kinds that run the services' pods: the gateway is a StatefulSet (stable instance names), the rest Deployments. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];
const workloads = () => manifests.filter((manifest) => WORKLOAD_KINDS.includes(manifest.kind));
const workload = (name: string) =>
  workloads().find((manifest) => manifest.metadata.name === name) ?? expect.fail(`no workload ${name}`);
const spec = <T>(manifest: Manifest) => manifest.spec as T;
const template = (deployment: Manifest) => spec<{ template: PodTemplate }>(deployment).template;
const configData = (name: string) => (named('ConfigMap', name).data ?? {}) as Record<string, string>;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('k8s manifests', () => {
  it('parse, and every selector matches the pod labels of a workload', () => {
    const podLabels = workloads().map((deployment) => template(deployment).metadata.labels);
    for (const deployment of workloads()) {
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
      expect(WORKLOAD_KINDS).toContain(named(scaleTargetRef.kind, scaleTargetRef.name).kind);
    }
  });

  describe.each(Object.entries(SERVICES))('%s', (name, keys) => {
    const service = name as ServiceName;
    const deployment = workload(service);
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
    const persistenceGroup = configData('persistence-config')[PERSISTENCE_ENV.groupId.name]!;
    const cacheGroup = configData('persistence-config')[PERSISTENCE_ENV.recentCacheGroup.name]!;
    for (const name of [
      groupTopics.deadLetter(persistenceGroup),
      groupTopics.deadLetter(cacheGroup),
      groupTopics.processed(cacheGroup),
    ]) {
      expect(topics.has(name), name).toBe(true);
    }
    expect(topics.get(groupTopics.processed(cacheGroup))?.config['cleanup.policy']).toBe('compact,delete');
  });

  it('the gateway is a StatefulSet whose pod name is its instance id, so a replacement reuses its groups', () => {
    const chat = workload('chat');
    expect(chat.kind).toBe('StatefulSet');
    const [container] = template(chat).spec.containers;
    expect(container!.env?.find((entry) => entry.name === CHAT_ENV.instanceId.name)?.valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
    const governing = named('Service', spec<{ serviceName: string }>(chat).serviceName);
    expect(spec<{ clusterIP: string }>(governing).clusterIP).toBe('None');
  });

  it('leaves the replica count to the HorizontalPodAutoscaler', () => {
    for (const object of workloads())
      expect(spec<{ replicas?: number }>(object).replicas, object.file).toBeUndefined();
  });

  describe('ingress', () => {
    const ingresses = ofKind('Ingress');
    const [host] = ingresses.flatMap((ingress) =>
      (ingress.spec as { rules: { host: string }[] }).rules.map((rule) => rule.host),
    );
    const routes = routesOf(ingresses, host!);
    const to = (path: string) => routeFor(routes, path)?.service;

    it('routes the page, the gateway API and Socket.IO to chat', () => {
      for (const path of [
        '/',
        '/index.html',
        '/assets/index-3f2a.js',
        '/config.json',
        '/socket.io/',
        '/v1/dev/token',
      ])
        expect(to(path), path).toBe('chat');
      expect(to('/v1/rooms/room-1/messages')).toBe('chat');
    });

    it("routes every room service route to room (read from the service's own route files)", () => {
      const dir = join(REPO_ROOT, 'services/room/src/http/routes');
      const paths = readdirSync(dir).flatMap((file) =>
        [...readFileSync(join(dir, file), 'utf8').matchAll(/'(\/rooms[^']*)'/g)].map((match) => match[1]!),
      );
      expect(paths.length).toBeGreaterThan(5);
      for (const path of paths) {
        const request = `/v1${path.replace(/:\w+/g, 'x')}`;
        expect(to(request), request).toBe('room');
      }
      expect(to('/v1/rooms?limit=20')).toBe('room');
    });

    it("routes every identity route to identity (read from the service's own sources), the JWKS included", () => {
      const dirs = [
        'services/identity/src/http',
        'services/identity/src/http/routes',
        'services/identity/src/sso',
      ];
      const paths = dirs.flatMap((dir) =>
        readdirSync(join(REPO_ROOT, dir))
          .filter((file) => file.endsWith('.ts'))
          .flatMap((file) =>
            [
              ...readFileSync(join(REPO_ROOT, dir, file), 'utf8').matchAll(
                /app\.(?:get|post|put|patch|delete)(?:<[^>]*>)?\(\s*'([^']+)'/g,
              ),
            ].map((match) => match[1]!),
          ),
      );
      expect(paths).toEqual(
        expect.arrayContaining(['/v1/auth/signin', '/v1/users/me', '/.well-known/jwks.json']),
      );
      for (const path of paths) expect(to(path), path).toBe('identity');
      expect(to('/v1/users?ids=u-1')).toBe('identity');
      // What the gateway and room serve stays theirs.
      expect(to('/v1/rooms')).toBe('room');
      expect(to('/v1/dev/token')).toBe('chat');
    });

    it('never routes the ops paths (metrics, readiness, liveness) of any service', () => {
      for (const path of Object.values(OPS_PATHS)) {
        expect(to(path), path).toBeUndefined();
        expect(to(`${path}/`), path).toBeUndefined();
        expect(to(path.toUpperCase()), path).toBeUndefined();
      }
    });

    it('keeps Socket.IO sessions on one pod and WebSockets open', () => {
      const chat = routeFor(routes, '/socket.io/')!.ingress;
      const annotations = chat.metadata.annotations!;
      expect(annotations).toMatchObject({
        'nginx.ingress.kubernetes.io/use-regex': 'true',
        'nginx.ingress.kubernetes.io/affinity': 'cookie',
        'nginx.ingress.kubernetes.io/session-cookie-path': '/',
      });
      // Socket.IO pings every 25 s: a proxy timeout below that would cut idle sockets.
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThan(60);
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThan(60);
      for (const ingress of ingresses) {
        expect(ingress.metadata.annotations).toMatchObject({
          'nginx.ingress.kubernetes.io/use-regex': 'true',
        });
      }
      for (const route of routes) {
        const ports = spec<{ ports: { name: string }[] }>(named('Service', route.service)).ports;
        expect(ports.map((port) => port.name)).toContain(route.port);
      }
    });
  });

  it('a ServiceMonitor scrapes /metrics of exactly the four services, job-labelled as the ServiceDown alert expects', () => {
    const [monitor] = ofKind('ServiceMonitor');
    const body = spec<{
      jobLabel: string;
      selector: { matchExpressions: { key: string; operator: string; values: string[] }[] };
      endpoints: { port: string; path: string }[];
    }>(monitor!);
    const selected = ofKind('Service').filter((service) =>
      body.selector.matchExpressions.every(
        (expression) =>
          expression.operator === 'In' &&
          expression.values.includes(service.metadata.labels?.[expression.key] ?? ''),
      ),
    );
    expect(selected.map((service) => service.metadata.name).sort()).toEqual(Object.keys(SERVICES).sort());
    expect(body.endpoints).toEqual([expect.objectContaining({ port: 'http', path: OPS_PATHS.metrics })]);
    const jobs = selected.map((service) => service.metadata.labels![body.jobLabel]);
    const alerts = readFileSync(join(REPO_ROOT, 'infra/observability/alerts.yaml'), 'utf8');
    for (const job of jobs) expect(alerts).toContain(`absent(up{job="${job}"})`);
  });

  describe('kustomize build', () => {
    const built: Record<string, Manifest[]> = {};
    const rendered: Record<string, string> = {};
    beforeAll(async () => {
      for (const overlay of ['dev', 'prod']) {
        const dir = join(K8S_DIR, 'overlays', overlay);
        rendered[overlay] = await kustomizeBuild(dir);
        built[overlay] = parseManifests(rendered[overlay], `overlays/${overlay}`);
      }
      // The first run builds kustomize with Go (a few minutes); later runs use the cached binary.
    }, 900_000);
    const builtOf = (overlay: string, kind: string, name: string) =>
      built[overlay]!.find((object) => object.kind === kind && object.metadata.name === name) ??
      expect.fail(`${overlay}: no ${kind} ${name}`);
    const builtData = (overlay: string, name: string) =>
      builtOf(overlay, 'ConfigMap', name).data as Record<string, string>;

    it.each(['dev', 'prod'])('%s builds, namespaced, with all four services', (overlay) => {
      const objects = built[overlay]!;
      const deployments = objects.filter((object) => WORKLOAD_KINDS.includes(object.kind));
      expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([
        'chat',
        'identity',
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

    it.each(['dev', 'prod'])(
      '%s validates offline against the Kubernetes, Prometheus Operator and Strimzi types',
      async (overlay) => {
        const result = await validateManifests(rendered[overlay]!);
        expect(result.ok, result.output).toBe(true);
        expect(result.output).toContain(`${built[overlay]!.length} objects valid`);
      },
      900_000,
    );

    it('the validator refuses a misspelt field, a wrong type and an API version it does not know', async () => {
      const broken = [
        rendered.dev!.replace('revisionHistoryLimit:', 'revisionHistoryLimt:'),
        rendered.dev!.replace(/minReplicas: 1/, 'minReplicas: one'),
        rendered.dev!.replace('autoscaling/v2', 'autoscaling/v2beta1'),
        rendered.dev!.replace('partitions: ', 'partition: '),
      ];
      for (const text of broken) {
        expect(text).not.toBe(rendered.dev);
        expect((await validateManifests(text)).ok).toBe(false);
      }
    }, 900_000);

    it.each(['dev', 'prod'])(
      '%s runs the images the build tags, at the root package.json version',
      (overlay) => {
        const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
          version: string;
        };
        for (const object of built[overlay]!.filter((candidate) => WORKLOAD_KINDS.includes(candidate.kind))) {
          const images = template(object).spec.containers.map(
            (container) => (container as { image?: string }).image,
          );
          expect(images).toEqual([`chat-platform/${object.metadata.name}:${version}`]);
        }
      },
    );

    it.each([
      ['dev', { chat: [1, 2], room: [1, 2], persistence: [1, 2], identity: [1, 2] }],
      ['prod', { chat: [3, 20], room: [3, 6], persistence: [3, 6], identity: [2, 6] }],
    ] as const)('%s: the HPAs own the replica counts, within their bounds', (overlay, bounds) => {
      for (const [name, [min, max]] of Object.entries(bounds)) {
        const hpa = spec<{ minReplicas: number; maxReplicas: number }>(
          builtOf(overlay, 'HorizontalPodAutoscaler', name),
        );
        expect([hpa.minReplicas, hpa.maxReplicas], name).toEqual([min, max]);
      }
      for (const object of built[overlay]!.filter((candidate) => WORKLOAD_KINDS.includes(candidate.kind)))
        expect(spec<{ replicas?: number }>(object).replicas, object.metadata.name).toBeUndefined();
      // Never more persistence consumers than partitions of the topics they read.
      const partitions = Math.min(...PLATFORM_TOPICS.map((topic) => topic.partitions));
      expect(
        spec<{ maxReplicas: number }>(builtOf(overlay, 'HorizontalPodAutoscaler', 'persistence')).maxReplicas,
      ).toBeLessThanOrEqual(partitions);
    });

    it.each(['dev', 'prod'])(
      '%s signs people in with built-in accounts: identity on the page origin, keys from its Secret',
      (overlay) => {
        expect(builtData(overlay, 'auth-config')).toMatchObject({
          AUTH_DEV_SIGNIN: 'false',
          AUTH_JWKS_URL: 'http://identity/.well-known/jwks.json',
        });
        expect(builtData(overlay, 'chat-config').CHAT_IDENTITY_API_URL).toBe('same-origin');
        // The JWKS URL names the identity Service on its port 80.
        const ports = spec<{ ports: { port: number }[] }>(builtOf(overlay, 'Service', 'identity')).ports;
        expect(ports.map((port) => port.port)).toEqual([80]);
        // The cookie endpoints accept only the page's origin: the ingress host, https where it has TLS.
        const ingress = spec<{ rules: { host: string }[]; tls?: unknown[] }>(
          builtOf(overlay, 'Ingress', 'identity'),
        );
        const identity = builtData(overlay, 'identity-config');
        const scheme = ingress.tls ? 'https' : 'http';
        expect(identity.IDENTITY_PAGE_ORIGINS).toBe(`${scheme}://${ingress.rules[0]!.host}`);
        expect(identity.IDENTITY_COOKIE_SECURE).toBe(String(scheme === 'https'));
        const pod = template(builtOf(overlay, 'Deployment', 'identity'));
        const keys = pod.spec.volumes?.find((volume) => volume.name === 'signing-keys');
        const mount = pod.spec.containers[0]!.volumeMounts!.find((entry) => entry.name === 'signing-keys')!;
        expect(identity.IDENTITY_SIGNING_KEYS_FILE).toBe(`${mount.mountPath}/signing-keys.json`);
        expect(keys?.secret?.secretName).toMatch(/^identity-signing-keys/);
      },
    );

    it('dev generates the signing-key Secret from a private ES256 key set; prod leaves it to the operator', () => {
      const pod = template(builtOf('dev', 'Deployment', 'identity'));
      const secretName = pod.spec.volumes!.find((volume) => volume.name === 'signing-keys')!.secret!
        .secretName;
      const secret = builtOf('dev', 'Secret', secretName) as Manifest & { data: Record<string, string> };
      const set = JSON.parse(Buffer.from(secret.data['signing-keys.json']!, 'base64').toString('utf8')) as {
        keys: { kid?: string; alg?: string; d?: string }[];
      };
      expect(set.keys).toEqual([
        expect.objectContaining({ alg: 'ES256', kid: expect.any(String), d: expect.any(String) }),
      ]);
      expect(built.prod!.filter((object) => object.kind === 'Secret')).toEqual([]);
      // The production refusals the dev overlay's plain http needs lifted, and only there.
      expect(builtData('dev', 'platform-config').NODE_ENV).toBe('development');
      expect(builtData('prod', 'platform-config').NODE_ENV).toBe('production');
    });

    it('prod talks to Kafka over TLS with SCRAM-SHA-512, its CA mounted where KAFKA_SSL_CA_FILE points', () => {
      const config = builtData('prod', 'platform-config');
      expect(config).toMatchObject({
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: builtOf('prod', 'KafkaUser', 'chat-platform').metadata.name,
      });
      expect(config.KAFKA_BROKERS).toMatch(/:9093$/);
      const user = spec<{ authentication: { type: string } }>(builtOf('prod', 'KafkaUser', 'chat-platform'));
      expect(user.authentication.type).toBe('scram-sha-512');
      for (const object of built.prod!.filter((candidate) => WORKLOAD_KINDS.includes(candidate.kind))) {
        const [container] = template(object).spec.containers;
        expect(container!.volumeMounts).toContainEqual(
          expect.objectContaining({ name: 'kafka-ca', mountPath: dirname(config.KAFKA_SSL_CA_FILE!) }),
        );
        expect(
          container!.env?.find((entry) => entry.name === 'KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef,
        ).toMatchObject({
          name: 'chat-platform',
          key: 'password',
          optional: false,
        });
      }
      expect(builtData('dev', 'platform-config')).toMatchObject({
        KAFKA_SSL: 'false',
        KAFKA_SASL_MECHANISM: '',
      });
    });

    it('states the minimum Kubernetes version the manifests need', () => {
      const doc = readFileSync(join(REPO_ROOT, 'docs/deploy-kubernetes.md'), 'utf8');
      expect(doc).toMatch(/Kubernetes 1\.30 or newer/);
      // What sets it: the preStop `sleep` action (on by default from 1.30); every API version
      // used is older (autoscaling/v2 1.23, policy/v1 1.21, networking.k8s.io/v1 1.19).
      const chat = builtOf('prod', 'StatefulSet', 'chat');
      expect(template(chat).spec.containers[0]!.lifecycle?.preStop?.sleep?.seconds).toBeGreaterThan(0);
      const used = [...new Set(built.prod!.map((object) => object.apiVersion))].sort();
      expect(used).toEqual([
        'apps/v1',
        'autoscaling/v2',
        'kafka.strimzi.io/v1beta2',
        'monitoring.coreos.com/v1',
        'networking.k8s.io/v1',
        'policy/v1',
        'v1',
      ]);
    });
  });
});
