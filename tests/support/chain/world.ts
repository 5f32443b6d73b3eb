/**
 * Everything the chain runs against, inside private mount and network namespaces: the local AWS
 * stack, a TLS docker-registry serving under the ECR host name moto's GetAuthorizationToken
 * returns (so build-push logs in and pushes exactly as against ECR), buildah storage of its own,
 * and the previous release seeded.
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bringLoopbackUp,
  createTlsMaterial,
  enterRegistryHost,
  inPrivateNamespaces,
  startTlsRegistry,
  type TlsRegistry,
} from '../registry-tls';
import { startStack, type Stack } from '../stack';
import { awsCli, type AwsCli } from './aws-cli';
import { CLOCK_SPEED, REGION } from './names';
import { seedPreviousRelease, type PreviousRelease, type Scenarios } from './seeds';

export interface World {
  readonly stack: Stack;
  readonly registry: TlsRegistry;
  /** `<account>.dkr.ecr.<region>.amazonaws.com`, answered by the TLS registry on 127.0.0.1:443. */
  readonly registryHost: string;
  /** The step environment every action gets: the stack and buildah's storage. */
  readonly actionEnv: Readonly<Record<string, string>>;
  /** The simulator's speed, for the harness's clockSpeed of the actions that wait on it. */
  readonly clockSpeed: number;
  /** The aws CLI pointed at the simulator (which passes S3, ECR and STS on to moto). */
  readonly aws: AwsCli;
  readonly previous: PreviousRelease;
  stop(): Promise<void>;
}

export interface WorldOptions {
  /** An empty folder for TLS material, registry data and image storage; the caller removes it. */
  readonly dir: string;
  readonly scenarios: Scenarios;
  readonly speed?: number;
}

async function ecrRegistryLogin(
  endpoint: string,
): Promise<{ host: string; username: string; password: string }> {
  const ecr = new ECRClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    const token = Buffer.from(auth?.authorizationToken ?? '', 'base64').toString('utf8');
    const [username = '', password = ''] = token.split(':');
    return { host: new URL(auth?.proxyEndpoint ?? '').host, username, password };
  } finally {
    ecr.destroy();
  }
}

export async function startWorld(options: WorldOptions): Promise<World> {
  if (!inPrivateNamespaces()) {
    throw new Error(
      'the chain binds port 443 and redirects the ECR host name: run it inside `unshare --mount --net` (scripts/demo and the e2e test do)',
    );
  }
  const speed = options.speed ?? CLOCK_SPEED;
  bringLoopbackUp();
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const each of stops.splice(0).reverse()) await each().catch(() => undefined);
  };
  try {
    const stack = await startStack({ simulatorSpeed: speed });
    stops.push(() => stack.stop());
    const endpoint = stack.endpoints.simulator;

    const login = await ecrRegistryLogin(endpoint);
    const tlsDir = join(options.dir, 'tls');
    mkdirSync(tlsDir, { recursive: true });
    const tls = createTlsMaterial(tlsDir, login.host);
    enterRegistryHost(tlsDir, login.host, tls.caFile);
    const registry = await startTlsRegistry({
      dir: join(options.dir, 'registry'),
      host: login.host,
      listen: '127.0.0.1:443',
      tls,
      auth: { username: login.username, password: login.password },
    });
    stops.push(() => registry.stop());

    const storage = join(options.dir, 'containers-storage');
    const storageConf = join(options.dir, 'storage.conf');
    writeFileSync(
      storageConf,
      `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/root"\nrunroot = "${storage}/run"\n`,
    );

    const previous = await seedPreviousRelease({
      simulator: stack.simulator,
      motoUrl: stack.endpoints.moto,
      registryHost: login.host,
      scenarios: options.scenarios,
    });
    return {
      stack,
      registry,
      registryHost: login.host,
      actionEnv: {
        ...stack.env,
        CONTAINERS_STORAGE_CONF: storageConf,
        BUILDAH_ISOLATION: 'chroot',
      },
      clockSpeed: speed,
      aws: awsCli(endpoint, stack.env),
      previous,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
