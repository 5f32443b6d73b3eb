import type { Operation, Route, ServiceModule } from './service';

export interface RoutedOperation {
  readonly module: ServiceModule;
  readonly operation: Operation;
}

export interface RestMatch extends RoutedOperation {
  readonly pathParams: Readonly<Record<string, string>>;
}

interface RestEntry extends RoutedOperation {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Turns `/environments/{Name}` into a pattern; `{Key+}` takes the rest of the path, slashes included. */
export function compilePathTemplate(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = segment.match(/^\{(\w+)(\+?)\}$/);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

/**
 * Finds the operation a request is for. Query actions and REST paths are matched together with the
 * request's signing name when it has one, because different services share action names and paths
 * (an S3 bucket may be called `environments`).
 */
export class Router {
  private readonly json = new Map<string, RoutedOperation>();
  private readonly query = new Map<string, RoutedOperation[]>();
  private readonly rest: RestEntry[] = [];

  constructor(instances: ReadonlyArray<{ module: ServiceModule; operations: readonly Operation[] }>) {
    for (const { module, operations } of instances) {
      for (const operation of operations) this.add(module, operation, operation.route);
    }
  }

  private add(module: ServiceModule, operation: Operation, route: Route): void {
    const routed = { module, operation };
    if (route.protocol === 'json') {
      this.json.set(route.target, routed);
    } else if (route.protocol === 'query') {
      this.query.set(route.action, [...(this.query.get(route.action) ?? []), routed]);
    } else {
      this.rest.push({ ...routed, method: route.method.toUpperCase(), ...compilePathTemplate(route.path) });
    }
  }

  byTarget(target: string): RoutedOperation | undefined {
    return this.json.get(target);
  }

  byAction(action: string, signingName: string | undefined): RoutedOperation | undefined {
    return this.query
      .get(action)
      ?.find((r) => signingName === undefined || r.module.signingName === signingName);
  }

  byPath(method: string, path: string, signingName: string | undefined): RestMatch | undefined {
    for (const entry of this.rest) {
      if (entry.method !== method.toUpperCase()) continue;
      if (signingName !== undefined && entry.module.signingName !== signingName) continue;
      const match = entry.pattern.exec(path);
      if (!match) continue;
      const pathParams = Object.fromEntries(
        entry.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      return { module: entry.module, operation: entry.operation, pathParams };
    }
    return undefined;
  }
}
