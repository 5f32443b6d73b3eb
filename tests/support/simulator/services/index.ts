import type { ServiceModule } from '../service';
import { mwaaService } from './mwaa';
import { elasticBeanstalkService } from './elastic-beanstalk';
import { ecsService } from './ecs';
import { codeDeployService } from './codedeploy';
import { sageMakerService } from './sagemaker';

/** Every service module the simulator serves; add a new module here. */
export const ALL_SERVICES: readonly ServiceModule[] = [
  mwaaService,
  ecsService,
  elasticBeanstalkService,
  codeDeployService,
  sageMakerService,
];
