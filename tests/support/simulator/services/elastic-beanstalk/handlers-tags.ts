import type { Operation } from '../../service';
import { members, queryOperation, required, tagMembers } from './query-params';
import type { BeanstalkStore } from './state';

/** Tags of application versions and environments, by ARN. */
export function tagHandlers(store: BeanstalkStore): Operation[] {
  const query = (name: string, handle: Operation['handle']): Operation => queryOperation(store, name, handle);
  return [
    query('ListTagsForResource', ({ input }) => {
      const arn = required(input, 'ResourceArn');
      const tags = [...store.taggable(arn)].map(([Key, Value]) => ({ Key, Value }));
      return { ResourceArn: arn, ResourceTags: tags };
    }),
    query('UpdateTagsForResource', ({ input }) => {
      const tags = store.taggable(required(input, 'ResourceArn'));
      for (const { Key, Value } of tagMembers(input, 'TagsToAdd')) tags.set(Key, Value);
      for (const key of members(input, 'TagsToRemove')) tags.delete(key);
      return {};
    }),
  ];
}
