import type { Manifest } from './manifests.js';

interface IngressSpec {
  rules: {
    host: string;
    http: {
      paths: {
        path: string;
        pathType: string;
        backend: { service: { name: string; port: { name: string } } };
      }[];
    };
  }[];
}

export interface Route {
  path: string;
  service: string;
  port: string;
  /** The Ingress the path belongs to, for its annotations. */
  ingress: Manifest;
}

/** Every path of every Ingress for `host`, in the order ingress-nginx tries regex locations: longest first. */
export function routesOf(ingresses: Manifest[], host: string): Route[] {
  return ingresses
    .flatMap((ingress) =>
      (ingress.spec as IngressSpec).rules
        .filter((rule) => rule.host === host)
        .flatMap((rule) =>
          rule.http.paths.map((entry) => ({
            path: entry.path,
            service: entry.backend.service.name,
            port: entry.backend.service.port.name,
            ingress,
          })),
        ),
    )
    .sort((a, b) => b.path.length - a.path.length);
}

/**
 * Where ingress-nginx sends a request path when `use-regex` is on: each path
 * is a case-insensitive regex anchored at the start (`location ~* "^path"`),
 * tried longest first; no match is the controller's 404.
 */
export function routeFor(routes: Route[], requestPath: string): Route | undefined {
  return routes.find((route) => new RegExp(`^${route.path}`, 'i').test(requestPath));
}
