/** Kept for imports written before the ECS service moved into `ecs/`: its task definitions. */
export * from './ecs/task-definitions';
