/** Kept for imports written before the ECS service moved into `ecs/`: its rollout rules. */
export * from './ecs/rollout';
