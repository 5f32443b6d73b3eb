/** A container image reference split into its parts; `registry` is absent for Docker Hub short names. */
export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
// The reference grammar's domain: host name labels (or a bracketed IPv6 address) and an optional port.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const REGISTRY = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?$`);

/** True for a tag Docker and ECR accept. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/**
 * Parses `[registry/]repository[:tag][@sha256:…]`, or explains in one phrase why it is not one
 * (callers turn that into an InputError naming their input).
 */
export function parseImageReference(value: string): ImageReference | string {
  let rest = value.trim();
  if (rest === '') return 'is empty';
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return `has an invalid digest '${digest}' (expected sha256: and 64 hex digits)`;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) return `has an invalid tag '${tag}'`;
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const head = rest.slice(0, firstSlash);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      if (!REGISTRY.test(head)) return `has an invalid registry '${head}'`;
      registry = head;
      rest = rest.slice(firstSlash + 1);
    }
  }
  if (!REPOSITORY.test(rest)) return `has an invalid repository name '${rest}'`;
  const ref: ImageReference = { repository: rest };
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}
