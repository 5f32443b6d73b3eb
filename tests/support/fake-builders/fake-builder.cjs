#!/usr/bin/env node
/* global Buffer, fetch, setInterval */
/**
 * Stands in for `buildah` and `docker` in integration tests. It records each call (the argv as
 * /proc/self/cmdline shows it, the environment it was given, stdin for logins, a hash of each
 * secret file it was given) to the call log, and plays the registry's part of ECR: a push stores
 * the image through moto's PutImage, so ECR then knows the tag and digest, as it does after a
 * real push. Names given at build are kept as local images (`local` in the log).
 *
 * The action runs builders with a scrubbed environment, so the fake's own settings come from a
 * JSON file named by its first argument (the per-run wrapper scripts pass it): log (JSON lines),
 * state (a folder), daemon (`up` when `docker version` should answer), password (what login
 * accepts), moto (moto's URL), driver (what `docker buildx inspect` names; docker-container by
 * default), driverStatus (what `docker info` prints for DriverStatus), hang (`build`: a build that
 * starts a child, ignores SIGTERM and never ends).
 */
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const path = require('node:path');
const crypto = require('node:crypto');

const [configFile, tool, ...args] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
const settings = config;
const env = {
  FAKE_BUILDER_LOG: config.log,
  FAKE_DOCKER_DAEMON: config.daemon,
  FAKE_REGISTRY_PASSWORD: config.password,
  STACK_MOTO_URL: config.moto,
  DOCKER_CONFIG: process.env.DOCKER_CONFIG,
  HOME: process.env.HOME,
};
const stateDir = config.state;
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

function record(extra) {
  const cmdline = fs.readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter(Boolean);
  const line = { tool, args, cmdline, env: process.env, ...extra };
  fs.appendFileSync(env.FAKE_BUILDER_LOG, JSON.stringify(line) + '\n');
}

/** Every value of an option, given as `--name=value` or as `--name value` (pflag reads both). */
function flags(name) {
  return args.flatMap((arg, i) => {
    if (arg === name) return [args[i + 1]];
    return arg.startsWith(`${name}=`) ? [arg.slice(name.length + 1)] : [];
  });
}

function flag(name) {
  return flags(name)[0];
}

/** The image stored locally under a name (as `buildah images` or `docker images` would list). */
const localFile = (name) => path.join(stateDir, `local-${sha256(name)}`);
function keepLocal(names, manifest) {
  for (const name of names) fs.writeFileSync(localFile(name), manifest);
}

function readStdin() {
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A build that never ends, as one stuck on a RUN line's network call: a child of its own (in the
 * same process group), SIGTERM ignored, the pids of both in the call log.
 */
function hangForever(step) {
  process.on('SIGTERM', () => undefined);
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  record({ pids: [process.pid, child.pid] });
  console.log(step);
  setInterval(() => undefined, 60_000);
  return new Promise(() => undefined);
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function splitRef(ref) {
  const clean = ref.replace(/^docker:\/\//, '');
  const slash = clean.indexOf('/');
  const colon = clean.lastIndexOf(':');
  return {
    registry: clean.slice(0, slash),
    repository: clean.slice(slash + 1, colon),
    tag: clean.slice(colon + 1),
  };
}

function login(authPath) {
  const password = readStdin();
  record({ stdin: password });
  if (password !== env.FAKE_REGISTRY_PASSWORD) fail('unauthorized: incorrect username or password');
  const registry = args[args.length - 1];
  const auths = fs.existsSync(authPath) ? JSON.parse(fs.readFileSync(authPath, 'utf8')).auths : {};
  auths[registry] = { auth: Buffer.from(`AWS:${password}`).toString('base64') };
  fs.mkdirSync(path.dirname(authPath), { recursive: true });
  fs.writeFileSync(authPath, JSON.stringify({ auths }));
  console.log('Login Succeeded!');
}

function logout(authPath) {
  record({});
  const registry = args[args.length - 1];
  if (!fs.existsSync(authPath)) fail(`not logged in to ${registry}`);
  const config = JSON.parse(fs.readFileSync(authPath, 'utf8'));
  delete config.auths[registry];
  fs.writeFileSync(authPath, JSON.stringify(config));
  console.log(`Removed login credentials for ${registry}`);
}

/** A manifest whose digest changes with the Dockerfile, the context's files and the build args. */
function build(dockerfileLines) {
  const secrets = {};
  for (const spec of flags('--secret')) {
    const id = /id=([^,]+)/.exec(spec)[1];
    const src = /src=([^,]+)/.exec(spec)[1];
    secrets[id] = sha256(fs.readFileSync(src, 'utf8'));
  }
  const context = args[args.length - 1];
  const files = fs
    .readdirSync(context)
    .sort()
    .map((f) => `${f}:${sha256(fs.readFileSync(path.join(context, f)))}`);
  const content = sha256(JSON.stringify([dockerfileLines, files, flags('--build-arg'), flags('--label')]));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 1536,
      digest: `sha256:${content}`,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 1048576,
        digest: `sha256:${sha256(content)}`,
      },
    ],
  });
  const cached = fs.existsSync(path.join(stateDir, `built-${content}`));
  fs.writeFileSync(path.join(stateDir, `built-${content}`), manifest);
  return { manifest, cached, secrets };
}

async function putImage(ref, manifest) {
  const { repository, tag } = splitRef(ref);
  const response = await fetch(env.STACK_MOTO_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.PutImage',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({
      repositoryName: repository,
      imageTag: tag,
      imageManifest: manifest,
      imageDigest: `sha256:${sha256(manifest)}`,
    }),
  });
  const body = await response.text();
  if (response.ok || body.includes('ImageAlreadyExistsException')) return `sha256:${sha256(manifest)}`;
  if (body.includes('ImageTagAlreadyExistsException')) {
    fail(
      `tag invalid: The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
    );
  }
  fail(`push failed: ${response.status} ${body}`);
}

/**
 * A COPY whose source is not in the context stops the build at that step, with the error buildah
 * prints (copier: stat: ... no such file or directory), as a real Dockerfile mistake does.
 */
function missingCopySource(lines) {
  const context = args[args.length - 1];
  lines.forEach((line, i) => {
    const copy = /^COPY\s+(\S+)\s+\S+/i.exec(line.trim());
    if (copy === null || fs.existsSync(path.join(context, copy[1]))) return;
    console.log(`STEP ${i + 1}/${lines.length}: ${line}`);
    fail(
      `Error: building at STEP "${line}": checking on sources under "${context}": copier: stat: "/${copy[1]}": no such file or directory`,
    );
  });
}

async function buildah() {
  const [command] = args;
  if (command === '--version') return console.log('buildah version 1.99.0-fake');
  if (command === 'login') return login(flag('--authfile'));
  if (command === 'logout') return logout(flag('--authfile'));
  if (command === 'build') {
    if (settings.hang === 'build') return hangForever('STEP 1/2: FROM scratch (hanging)');
    const lines = fs
      .readFileSync(flag('--file'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    missingCopySource(lines);
    const { manifest, cached, secrets } = build(lines);
    const local = [...flags('--tag'), ...flags('--manifest')];
    record({ secrets, local });
    lines.forEach((line, i) => {
      console.log(`STEP ${i + 1}/${lines.length}: ${line}`);
      if (cached && i > 0) console.log('--> Using cache 0123456789ab');
    });
    keepLocal(local, manifest);
    return;
  }
  if (command === 'tag') {
    const [source, ...names] = args.slice(1);
    record({ local: names });
    keepLocal(names, fs.readFileSync(localFile(source), 'utf8'));
    return;
  }
  if (command === 'push') {
    record({});
    const [source, destination] = args.slice(-2);
    const manifest = fs.readFileSync(localFile(source), 'utf8');
    const digest = await putImage(destination, manifest);
    fs.writeFileSync(flag('--digestfile'), digest);
    console.log('Writing manifest to image destination');
    return;
  }
  fail(`fake buildah: unexpected ${args.join(' ')}`);
}

async function docker() {
  const config = path.join(env.DOCKER_CONFIG || path.join(env.HOME, '.docker'), 'config.json');
  const [command, sub] = args;
  if (command === 'version') {
    if (env.FAKE_DOCKER_DAEMON !== 'up')
      fail('Cannot connect to the Docker daemon at unix:///var/run/docker.sock.');
    return console.log('27.0.0-fake');
  }
  if (command === 'buildx' && sub === 'version') return console.log('github.com/docker/buildx v0.99.0-fake');
  if (command === 'info') {
    // `docker info --format '{{json .DriverStatus}}'`: the image store's own words.
    record({});
    return console.log(
      settings.driverStatus || '[["Backing Filesystem","extfs"],["Supports d_type","true"]]',
    );
  }
  if (command === 'buildx' && sub === 'inspect') {
    record({});
    const driver = settings.driver || 'docker-container';
    const name = driver === 'docker' ? 'default' : 'builder-fake';
    // The layout of `docker buildx inspect` (docker/buildx commands/inspect.go).
    console.log(
      `Name:          ${name}\nDriver:        ${driver}\nLast Activity: 2025-01-01 00:00:00 +0000 UTC\n`,
    );
    console.log(`Nodes:\nName:      ${name}0\nEndpoint:  unix:///var/run/docker.sock\nStatus:    running`);
    return;
  }
  if (command === 'login') return login(config);
  if (command === 'logout') return logout(config);
  if (command === 'buildx' && sub === 'build') {
    if (settings.hang === 'build') return hangForever('#5 [1/2] FROM scratch (hanging)');
    const lines = fs
      .readFileSync(flag('--file'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const { manifest, cached, secrets } = build(lines);
    const local = args.includes('--load') ? flags('--tag') : [];
    record({ secrets, local });
    keepLocal(local, manifest);
    lines.forEach((line, i) => {
      console.log(`#${i + 5} [${i + 1}/${lines.length}] ${line}`);
      if (cached) console.log(`#${i + 5} CACHED`);
    });
    let digest = '';
    if (args.includes('--push')) for (const ref of flags('--tag')) digest = await putImage(ref, manifest);
    fs.writeFileSync(
      flag('--metadata-file'),
      JSON.stringify({ 'containerimage.digest': digest, 'image.name': flags('--tag').join(',') }),
    );
    return;
  }
  fail(`fake docker: unexpected ${args.join(' ')}`);
}

(tool === 'docker' ? docker() : buildah()).catch((err) => fail(String(err)));
