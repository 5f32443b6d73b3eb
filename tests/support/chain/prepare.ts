import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenariosFor, type BreakPoint } from './breaks';
import { assembleImageContext, type ImageContext } from './image-context';
import { startWorld, type World } from './world';

export interface Prepared {
  readonly world: World;
  readonly context: ImageContext;
}

export interface PrepareOptions {
  readonly breakAt?: BreakPoint | undefined;
  /** Called as soon as the world runs, before the image context is ready, so an interrupt can stop it. */
  readonly onWorld?: (world: World) => void;
}

/**
 * Starts the world and assembles the image context at the same time (bundling the server takes as
 * long as starting the stack). If either fails, whatever the other started is stopped.
 */
export async function prepareChain(dir: string, options: PrepareOptions = {}): Promise<Prepared> {
  const contextDir = join(dir, 'context');
  const worldDir = join(dir, 'world');
  mkdirSync(contextDir, { recursive: true });
  mkdirSync(worldDir, { recursive: true });
  const [world, context] = await Promise.allSettled([
    startWorld({ dir: worldDir, scenarios: scenariosFor(options.breakAt) }).then((started) => {
      options.onWorld?.(started);
      return started;
    }),
    assembleImageContext(contextDir),
  ]);
  if (world.status === 'fulfilled' && context.status === 'fulfilled') {
    return { world: world.value, context: context.value };
  }
  if (world.status === 'fulfilled') await world.value.stop();
  throw world.status === 'rejected' ? world.reason : (context as PromiseRejectedResult).reason;
}
