import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  type ECRClient,
  type ImageIdentifier,
} from '@aws-sdk/client-ecr';
import { DeployFailed, InputError, maskSecret } from '@deploy-suite/kit';

/** The calls this action makes, so tests can pass aws-sdk-client-mock's client or a literal fake. */
export type Ecr = Pick<ECRClient, 'send'>;

export interface RegistryLogin {
  /** The host ECR names in proxyEndpoint: images are pushed there and nowhere else. */
  registry: string;
  username: string;
  password: string;
}

/**
 * Asks ECR for a registry password. The token and the password inside it are masked before they
 * are returned, so no later log line or summary can carry them.
 */
export async function getRegistryLogin(ecr: Ecr): Promise<RegistryLogin> {
  const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = answer.authorizationData?.[0];
  const token = data?.authorizationToken;
  const endpoint = data?.proxyEndpoint;
  if (token === undefined || endpoint === undefined) {
    throw new DeployFailed('ECR GetAuthorizationToken returned no authorization data');
  }
  maskSecret(token);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0)
    throw new DeployFailed('ECR GetAuthorizationToken returned a token that is not user:password');
  const password = decoded.slice(colon + 1);
  maskSecret(password);
  const registry = endpoint.includes('://') ? new URL(endpoint).host : endpoint.replace(/\/+$/, '');
  // The host becomes an argument of the builder: nothing but a host name and port gets there.
  if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$/i.test(registry)) {
    throw new DeployFailed(
      `ECR GetAuthorizationToken named a registry that is not a host name: '${registry}'`,
    );
  }
  return { registry, username: decoded.slice(0, colon), password };
}

export interface RepositoryState {
  immutableTags: boolean;
  scanOnPush: boolean;
  created: boolean;
}

export interface RepositoryWish {
  create: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/** The repository as it is, created (scan on push, the tag mutability asked for) when allowed. */
export async function ensureRepository(
  ecr: Ecr,
  name: string,
  wish: RepositoryWish,
): Promise<RepositoryState> {
  try {
    const answer = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const repository = answer.repositories?.[0];
    return {
      // IMMUTABLE_WITH_EXCLUSION still refuses to overwrite most tags.
      immutableTags: repository?.imageTagMutability?.startsWith('IMMUTABLE') ?? false,
      scanOnPush: repository?.imageScanningConfiguration?.scanOnPush ?? false,
      created: false,
    };
  } catch (err) {
    if (errorName(err) !== 'RepositoryNotFoundException') throw err;
  }
  if (!wish.create) {
    throw new InputError(
      'repository',
      `names '${name}', which does not exist in this registry; create it, or set create-repository: true`,
    );
  }
  try {
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: wish.tagMutability,
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
  } catch (err) {
    // Another job created it between our two calls: use it as it is.
    if (errorName(err) === 'RepositoryAlreadyExistsException')
      return ensureRepository(ecr, name, { ...wish, create: false });
    throw err;
  }
  return { immutableTags: wish.tagMutability === 'IMMUTABLE', scanOnPush: true, created: true };
}

export interface StoredImage {
  digest: string;
  tags: string[];
  sizeBytes: number | undefined;
}

/** The image a tag or digest names in the repository, or undefined when there is none. */
export async function findImage(
  ecr: Ecr,
  repository: string,
  id: ImageIdentifier,
): Promise<StoredImage | undefined> {
  try {
    const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [id] }));
    const image = answer.imageDetails?.[0];
    if (image?.imageDigest === undefined) return undefined;
    return { digest: image.imageDigest, tags: image.imageTags ?? [], sizeBytes: image.imageSizeInBytes };
  } catch (err) {
    if (errorName(err) === 'ImageNotFoundException') return undefined;
    throw err;
  }
}

/** A stored manifest exactly as ECR holds it: PutImage needs these bytes to add a tag. */
export interface StoredManifest {
  digest: string;
  manifest: string;
  mediaType: string | undefined;
}

// Every manifest type the builders push; BatchGetImage otherwise offers only Docker v2 schema 1/2.
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

export async function getManifest(ecr: Ecr, repository: string, digest: string): Promise<StoredManifest> {
  const answer = await ecr.send(
    new BatchGetImageCommand({
      repositoryName: repository,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: MANIFEST_TYPES,
    }),
  );
  const image = answer.images?.find((i) => i.imageManifest !== undefined);
  if (image?.imageManifest === undefined) {
    const why = answer.failures?.[0]?.failureReason ?? 'no manifest in the answer';
    throw new DeployFailed(`ECR could not hand back the manifest of ${digest} in ${repository}: ${why}`);
  }
  return { digest, manifest: image.imageManifest, mediaType: image.imageManifestMediaType };
}

export type TagOutcome = 'tagged' | 'already';

/**
 * Adds a tag to an image already in the repository, as ECR documents for retagging without a
 * pull or push: PutImage with the manifest BatchGetImage returned. ImageAlreadyExistsException
 * means the tag names this very image already; anything else (ImageTagAlreadyExistsException on
 * an immutable repository) is an error for the caller.
 */
export async function tagImage(
  ecr: Ecr,
  repository: string,
  image: StoredManifest,
  tag: string,
): Promise<TagOutcome> {
  try {
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: image.manifest,
        imageManifestMediaType: image.mediaType,
        imageDigest: image.digest,
        imageTag: tag,
      }),
    );
    return 'tagged';
  } catch (err) {
    if (errorName(err) !== 'ImageAlreadyExistsException') throw err;
    // Some implementations answer so for a tag held by another image too: read it back.
    const named = await findImage(ecr, repository, { imageTag: tag });
    if (named?.digest === image.digest) return 'already';
    throw err;
  }
}
