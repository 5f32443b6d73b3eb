import type { ServingModel } from '../serving-model';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route as metrics and logs name it, in the protocol's own notation. */
    label?: string;
  }
}

/** Something the path names that this server does not have: 404. */
export class NotFound extends Error {
  override name = 'NotFound';
}

export class UnknownModel extends NotFound {
  constructor(name: string, version?: string) {
    super(version === undefined ? `model ${name} not found` : `model ${name} version ${version} not found`);
  }
}

/** Resolves the `{name}` (and optional `{version}`) path segments to the served model. */
export function findModel(model: ServingModel, name: string, version?: string): ServingModel {
  if (name !== model.name) throw new UnknownModel(name);
  if (version !== undefined && version !== model.version) throw new UnknownModel(name, version);
  return model;
}
