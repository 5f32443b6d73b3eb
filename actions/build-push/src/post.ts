import { messageOf, type Env, type GroupRunTool, type Log } from '@deploy-suite/kit';
import { STATE } from './build-push';
import { withBuilderEnvironment } from './environment';
import { logoutCommand, type BuilderName } from './plan';
import { removeWorkDir } from './workdir';

export interface PostPorts {
  exec: GroupRunTool;
  log: Log;
  env: Env;
  getState: (name: string) => string;
}

/**
 * Logs the engine out of the registry and removes what login wrote (buildah's auth file, the
 * work folder). Problems are warnings: cleanup must not fail a job whose image is pushed.
 */
export async function cleanUp(ports: PostPorts): Promise<void> {
  const engine = ports.getState(STATE.engine);
  const registry = ports.getState(STATE.registry);
  const workDir = ports.getState(STATE.workDir);
  if ((engine === 'docker' || engine === 'buildah') && registry !== '') {
    const tool: BuilderName = engine;
    const authFile = workDir === '' ? undefined : `${workDir}/auth.json`;
    const command = logoutCommand(tool, registry, authFile);
    const exec = withBuilderEnvironment(ports.exec, ports.env);
    try {
      const result = await exec(command.tool, command.args, { quiet: true });
      if (result.exitCode === 0) ports.log.info(`Logged out of ${registry}`);
      else
        ports.log.warning(
          `${tool} logout from ${registry} ended with exit code ${result.exitCode}: ${result.stderr.trim()}`,
        );
    } catch (err) {
      ports.log.warning(`${tool} logout from ${registry} failed: ${messageOf(err)}`);
    }
  }
  if (workDir !== '') {
    removeWorkDir(workDir);
    ports.log.info('Removed the login and build files');
  }
}
