/**
 * The e2e scenario's body, run by build-push.test.ts inside `unshare --mount --net`: there, port
 * 443 on loopback and the ECR host name are private to this process tree. It starts moto, asks it
 * for the registry host and password, serves a TLS registry under that host, runs the bundled
 * action twice (build and push; then skip-if-exists), and writes what it observed as JSON to the
 * file named by its argument. The test makes the assertions.
 */
import { ECRClient, GetAuthorizationTokenCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  realpathSync,
  statSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runAction, type RunActionResult } from '../../support/harness';
import {
  bringLoopbackUp,
  createTlsMaterial,
  enterRegistryHost,
  startTlsRegistry,
  type TlsRegistry,
} from '../../support/registry-tls';
import { requireBinary } from '../../support/stack/paths';
import { freePorts, waitUntilAnswering } from '../../support/stack/ports';
import { launch, stopProcessGroup } from '../../support/stack/processes';
import { MODEL_VERSION, REPOSITORY, SECRET, TAGS, type E2eFacts, type RunFacts } from './facts';
import { runFactsScript } from '../../support/facts-script';

/** Every process's argv, sampled while the action runs, as /proc/<pid>/cmdline shows it. */
function watchCommandLines(secrets: readonly string[]) {
  const builder = new Map<string, string[]>();
  const leaks = new Set<string>();
  const sample = () => {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let argv: string[];
      try {
        argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      } catch {
        continue;
      }
      const line = argv.join(' ');
      if (argv[0]?.endsWith('buildah')) builder.set(line, argv);
      for (const secret of secrets) if (line.includes(secret)) leaks.add(`${pid}: ${argv[0] ?? ''}`);
    }
  };
  const timer = setInterval(sample, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return { builder: [...builder.values()], leaks: [...leaks] };
    },
  };
}

/** The file a path resolves to, symlinks followed, with its mode. */
function copyResolved(from: string, to: string): void {
  copyFileSync(realpathSync(from), to);
  chmodSync(to, statSync(from).mode & 0o777);
}

/** A build context with a tiny root file system (dash and its libraries), so RUN works FROM scratch. */
function writeContext(dir: string): void {
  const rootfs = join(dir, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyResolved('/bin/dash', join(rootfs, 'bin', 'sh'));
  const libraries = execFileSync('ldd', ['/bin/dash'], { encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => /(\/\S+) \(0x/.exec(line)?.[1] ?? []);
  for (const library of libraries) {
    mkdirSync(join(rootfs, dirname(library)), { recursive: true });
    copyResolved(library, join(rootfs, library));
  }
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'model', 'weights.txt'), 'w = [0.25, -1.5, 3.0]\n');
  writeFileSync(
    join(dir, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY rootfs/ /',
      'ARG MODEL_VERSION=unset',
      'COPY model/ /model/',
      'RUN --mount=type=secret,id=model_token read -r token < /run/secrets/model_token; echo "${#token}" > /model/token-length; echo "$MODEL_VERSION" > /model/version',
      'LABEL org.example.model-version=$MODEL_VERSION',
      '',
    ].join('\n'),
  );
}

/** An answer that is not JSON (a failed first run leaves no digest to ask for) reads as empty. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function factsOf(result: RunActionResult, seconds: number): RunFacts {
  return {
    exitCode: result.exitCode,
    postExitCode: result.postExitCode,
    outputs: result.outputs,
    summary: result.summary,
    stdout: result.stdout,
    masked: result.masked,
    seconds,
  };
}

async function main(outFile: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'build-push-e2e-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    bringLoopbackUp();
    const [motoPort = 0] = await freePorts(1);
    const motoLog = join(dir, 'moto.log');
    const moto = launch({
      command: requireBinary('moto_server'),
      args: ['-H', '127.0.0.1', '-p', String(motoPort)],
      logFile: motoLog,
      mode: 'attached',
    });
    stops.push(() => stopProcessGroup(moto.pid ?? 0));
    const motoUrl = `http://127.0.0.1:${motoPort}`;
    await waitUntilAnswering(`${motoUrl}/moto-api/`, { name: 'moto', child: moto, logFile: motoLog });

    const ecr = new ECRClient({
      endpoint: motoUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    const token = auth?.authorizationToken ?? '';
    const registryHost = new URL(auth?.proxyEndpoint ?? '').host;
    const [username = '', password = ''] = Buffer.from(token, 'base64').toString('utf8').split(':');

    const tls = createTlsMaterial(dir, registryHost);
    enterRegistryHost(dir, registryHost, tls.caFile);
    const registry: TlsRegistry = await startTlsRegistry({
      dir: join(dir, 'registry'),
      host: registryHost,
      listen: '127.0.0.1:443',
      tls,
      auth: { username, password },
    });
    stops.push(() => registry.stop());

    const storage = join(dir, 'storage');
    writeFileSync(
      join(dir, 'storage.conf'),
      `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/root"\nrunroot = "${storage}/run"\n`,
    );
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    writeContext(workspace);
    const env = {
      AWS_ENDPOINT_URL: motoUrl,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      BUILDAH_ISOLATION: 'chroot',
    };
    const inputs = {
      repository: REPOSITORY,
      tags: TAGS.join('\n'),
      'build-args': `MODEL_VERSION=${MODEL_VERSION}`,
      secrets: `model_token=${SECRET}`,
      'create-repository': 'true',
    };

    const watcher = watchCommandLines([password, token, SECRET]);
    let started = Date.now();
    const first = await runAction({ action: 'build-push', workspace, inputs, env, keepTemp: true });
    if (first.tempDir !== undefined)
      stops.push(async () => rmSync(first.tempDir ?? '', { recursive: true, force: true }));
    const firstSeconds = (Date.now() - started) / 1000;
    const observed = watcher.stop();

    const digest = first.outputs['digest'] ?? '';
    const accept = [
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
    ].join(', ');
    const manifestAnswer = await registry.get(`/v2/${REPOSITORY}/manifests/${digest}`, { accept });
    const manifestText = manifestAnswer.body.toString('utf8');
    const mediaType = String(manifestAnswer.headers['content-type'] ?? '');
    const manifest = parseJson(manifestText) as {
      config?: { digest: string };
      layers?: { digest: string }[];
    };
    const blob = async (blobDigest: string) =>
      (await registry.get(`/v2/${REPOSITORY}/blobs/${blobDigest}`)).body;
    const config = parseJson((await blob(manifest.config?.digest ?? '')).toString('utf8')) as {
      config?: { Labels?: Record<string, string> };
    };
    const files: Record<string, string> = {};
    let secretInBlobs = false;
    for (const layer of manifest.layers ?? []) {
      const data = await blob(layer.digest);
      const tar = join(dir, 'layer.tar');
      writeFileSync(tar, data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data);
      if (readFileSync(tar).includes(SECRET)) secretInBlobs = true;
      for (const name of ['model/token-length', 'model/version', 'model/weights.txt']) {
        try {
          files[name] = execFileSync('tar', ['-xOf', tar, name], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          });
        } catch {
          // not in this layer
        }
      }
    }

    // ECR's registry and its API are one service; here they are two processes, so the manifest
    // the registry now holds is recorded in moto, as a push records it in ECR.
    for (const tag of TAGS) {
      await ecr
        .send(
          new PutImageCommand({
            repositoryName: REPOSITORY,
            imageTag: tag,
            imageManifest: manifestText,
            imageManifestMediaType: mediaType,
            imageDigest: digest,
          }),
        )
        .catch(() => undefined);
    }

    started = Date.now();
    const second = await runAction({
      action: 'build-push',
      workspace,
      inputs: { ...inputs, 'skip-if-exists': 'true' },
      env,
    });
    const secondSeconds = (Date.now() - started) / 1000;
    ecr.destroy();

    const facts: E2eFacts = {
      registryHost,
      password,
      token,
      first: factsOf(first, firstSeconds),
      second: factsOf(second, secondSeconds),
      manifest: {
        status: manifestAnswer.status,
        bodyDigest: `sha256:${createHash('sha256').update(manifestAnswer.body).digest('hex')}`,
        mediaType,
      },
      config: { labels: config.config?.Labels ?? {} },
      files,
      secretInBlobs,
      builderCommandLines: observed.builder,
      leaks: observed.leaks,
      workDirLeftOver: existsSync(first.state['workDir'] ?? ''),
      workDirSaved: first.state['workDir'] !== undefined,
    };
    writeFileSync(outFile, JSON.stringify(facts, null, 2));
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

runFactsScript('in-namespace.ts', main);
