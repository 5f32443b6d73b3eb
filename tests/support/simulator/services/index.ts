import type { ServiceModule } from '../service';
import { mwaaService } from './mwaa';
import { ecsService } from './ecs';

/** Every service module the simulator serves; add a new module here. */
export const ALL_SERVICES: readonly ServiceModule[] = [mwaaService, ecsService];
