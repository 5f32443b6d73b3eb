import type { Operation } from '../../service';
import { ecsOperation as op, type EcsStore, type Json } from './state';

/** TagResource, UntagResource and ListTagsForResource on any ECS ARN. */
export function tagHandlers(store: EcsStore): Operation[] {
  return [
    op('TagResource', ({ input }) => {
      const arn = String(input.resourceArn);
      const added = Array.isArray(input.tags) ? (input.tags as Json[]) : [];
      const kept = (store.tags.get(arn) ?? []).filter((t) => !added.some((a) => a.key === t.key));
      store.tags.set(arn, [...kept, ...added]);
      return {};
    }),
    op('UntagResource', ({ input }) => {
      const arn = String(input.resourceArn);
      const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as unknown[]) : [];
      store.tags.set(
        arn,
        (store.tags.get(arn) ?? []).filter((t) => !keys.includes(t.key)),
      );
      return {};
    }),
    op('ListTagsForResource', ({ input }) => ({ tags: store.tags.get(String(input.resourceArn)) ?? [] })),
  ];
}
