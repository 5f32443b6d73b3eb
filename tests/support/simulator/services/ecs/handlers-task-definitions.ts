import type { Operation } from '../../service';
import { ecsOperation as op, type EcsStore } from './state';

/** RegisterTaskDefinition and DescribeTaskDefinition (tags only when asked: include ["TAGS"]). */
export function taskDefinitionHandlers(store: EcsStore): Operation[] {
  return [
    op('RegisterTaskDefinition', ({ input, region }) => {
      const stored = store.taskDefinitions.register(input, region, store.now());
      if (stored.tags.length > 0) store.tags.set(stored.arn, [...stored.tags]);
      return { taskDefinition: stored.taskDefinition, tags: stored.tags };
    }),
    op('DescribeTaskDefinition', ({ input }) => {
      const stored = store.taskDefinitions.find(input.taskDefinition);
      const include = Array.isArray(input.include) && input.include.includes('TAGS');
      return {
        taskDefinition: stored.taskDefinition,
        ...(include && { tags: store.tags.get(stored.arn) ?? [] }),
      };
    }),
  ];
}
