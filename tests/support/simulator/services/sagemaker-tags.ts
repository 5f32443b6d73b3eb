import { ServiceError } from '../errors';
import type { Operation } from '../service';

type Fields = Readonly<Record<string, unknown>>;

/** SageMaker's JSON 1.1 target prefix (botocore sagemaker/2017-07-24: targetPrefix `SageMaker`). */
const json = (name: string) => ({ protocol: 'json', target: `SageMaker.${name}` }) as const;

/** A resource holds at most 50 tags (API reference, AddTags: "Tags … maximum of 50"). */
const MAX_TAGS = 50;

/**
 * AddTags and ListTags over any ARN the test's SageMaker holds tags for: AddTags overwrites a key's
 * value, ListTags answers `{ Tags: [{ Key, Value }] }` in the order the keys were first added.
 * `exists` says whether a resource ARN is known; an unknown one is a ValidationException (in the
 * simulator's own words, as is the tag limit's refusal).
 */
export function tagOperations(
  tags: Map<string, Map<string, string>>,
  exists: (arn: string) => boolean,
): Operation[] {
  const resource = (input: Fields): string => {
    const arn = String(input['ResourceArn'] ?? '');
    if (!exists(arn)) throw new ServiceError('ValidationException', `Could not find resource "${arn}".`);
    return arn;
  };
  return [
    {
      name: 'AddTags',
      route: json('AddTags'),
      handle: ({ input }) => {
        const arn = resource(input);
        const held = tags.get(arn) ?? new Map<string, string>();
        for (const tag of (input['Tags'] as Fields[] | undefined) ?? [])
          held.set(String(tag['Key']), String(tag['Value'] ?? ''));
        if (held.size > MAX_TAGS)
          throw new ServiceError('ResourceLimitExceeded', `A resource can have at most ${MAX_TAGS} tags.`);
        tags.set(arn, held);
        return { Tags: [...held].map(([Key, Value]) => ({ Key, Value })) };
      },
    },
    {
      name: 'ListTags',
      route: json('ListTags'),
      handle: ({ input }) => {
        const held = tags.get(resource(input)) ?? new Map<string, string>();
        return { Tags: [...held].map(([Key, Value]) => ({ Key, Value })) };
      },
    },
  ];
}
