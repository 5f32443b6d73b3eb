/** Kept for imports written before the ECS service moved into `ecs/`: its scenarios. */
export * from './ecs/scenarios';
