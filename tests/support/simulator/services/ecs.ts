import { ServiceError } from '../errors';
import { blueGreenLink } from './codedeploy-link';
import { defineService, type Operation, type ServiceContext, type ServiceInstance } from '../service';
import {
  advanceDeployment,
  planRollout,
  type ContainerRecord,
  type DeploymentRecord,
  type RolloutHost,
  type RolloutPlan,
  type ServiceEventRecord,
} from './ecs-rollout';
import { ECS_SCENARIOS, type EcsScenario, type TaskFailure } from './ecs-scenarios';
import { TaskDefinitionStore } from './ecs-task-definitions';

type Json = Record<string, unknown>;

const TARGET = 'AmazonEC2ContainerServiceV20141113';
/** What ListServiceDeployments tells of each deployment. */
const BRIEF_FIELDS = [
  'serviceDeploymentArn',
  'serviceArn',
  'clusterArn',
  'createdAt',
  'startedAt',
  'finishedAt',
  'status',
  'statusReason',
] as const;

interface ServiceRecord {
  readonly name: string;
  readonly cluster: string;
  readonly arn: string;
  readonly clusterArn: string;
  readonly createdAt: number;
  readonly launchType: string;
  readonly networkConfiguration?: unknown;
  /** DeploymentController.type: ECS, or CODE_DEPLOY when CodeDeploy deploys it (blue/green). */
  readonly deploymentController: string;
  readonly loadBalancers: readonly Json[];
  desiredCount: number;
  /** UpdateService's tag settings, shown by DescribeServices once set. */
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  /** Newest first; INACTIVE ones stay for the service deployments API and for state(). */
  readonly deployments: DeploymentRecord[];
  /** Newest first, as DescribeServices lists them. */
  readonly events: ServiceEventRecord[];
  readonly knownGood: Set<string>;
  reads: number;
  throttled: number;
}

interface TaskRecord {
  readonly arn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly startedBy: string;
  readonly group: string;
  readonly launchType: string;
  readonly createdAt: number;
  /** RunTask's own: its overrides, the capacity provider it landed on, its network interface, its tags. */
  readonly overrides?: Json;
  readonly capacityProviderName?: string;
  readonly attachments?: Json[];
  readonly tags?: Json[];
  /** Absent: runs until stopped. */
  stopAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  readonly containers: ReadonlyArray<ContainerRecord & { exitCode?: number; reason?: string }>;
}

function clusterName(value: unknown): string {
  const text = typeof value === 'string' && value !== '' ? value : 'default';
  return text.includes(':cluster/') ? text.slice(text.indexOf(':cluster/') + 9) : text;
}

function serviceName(value: unknown): string {
  const text = String(value ?? '');
  return text.includes(':service/') ? text.slice(text.lastIndexOf('/') + 1) : text;
}

function fill(text: string, image: string): string {
  return text.split('{image}').join(image);
}

function createEcs(context: ServiceContext<EcsScenario>): ServiceInstance {
  const taskDefinitions = new TaskDefinitionStore(context.accountId);
  const services = new Map<string, ServiceRecord>();
  const tasks = new Map<string, TaskRecord>();
  const runTokens = new Map<string, TaskRecord>();
  const tags = new Map<string, Json[]>();
  let counter = 0;
  const now = (): number => context.clock.now();
  const nextId = (): string => String(4_000_000_000_000_000_000n + BigInt(++counter));
  const taskId = (): string => (++counter).toString(16).padStart(32, 'a');
  const scenario = (resource: string): EcsScenario => context.scenarioFor(resource).definition;
  const link = blueGreenLink(context.clock);
  link.ecs = {
    service: (cluster, name) => {
      const found = find(cluster, name);
      return (
        found && {
          arn: found.arn,
          clusterArn: found.clusterArn,
          deploymentController: found.deploymentController,
          taskDefinition: primary(found).taskDefinition,
          desiredCount: found.desiredCount,
          launchType: found.launchType,
          loadBalancers: found.loadBalancers,
        }
      );
    },
    hasTaskDefinition: (arn) => taskDefinitions.all().some((t) => t.arn === arn),
    stoppedTask: (cluster, name, taskSet, taskDefinitionArn, at, failure) => {
      const service = services.get(`${cluster}/${name}`);
      if (service === undefined) return;
      const targetGroup = String(service.loadBalancers[0]?.targetGroupArn ?? '');
      const base = {
        clusterArn: service.clusterArn,
        taskDefinitionArn,
        startedBy: taskSet,
        group: `service:${service.name}`,
        launchType: service.launchType,
        createdAt: at,
      };
      const reason = failure.stoppedReason.split('{targetGroup}').join(targetGroup);
      failedTask(at, base, { ...failure, stoppedReason: reason }, at - 5_000);
    },
  };

  function containersOf(taskDefinitionArn: string): ContainerRecord[] {
    const containers = taskDefinitions.find(taskDefinitionArn).taskDefinition.containerDefinitions as Json[];
    return containers.map((c) => ({
      name: String(c.name),
      image: String(c.image),
      essential: c.essential !== false,
    }));
  }

  function failedTask(
    at: number,
    base: Omit<TaskRecord, 'containers' | 'arn'>,
    failure: TaskFailure,
    startedAt: number,
  ): TaskRecord {
    const containers = containersOf(base.taskDefinitionArn);
    const essential = containers.find((c) => c.essential) ?? containers[0];
    const image = essential?.image ?? '';
    const task: TaskRecord = {
      ...base,
      arn: `${base.clusterArn.replace(':cluster/', ':task/')}/${taskId()}`,
      createdAt: startedAt,
      stopAt: at,
      stopCode: failure.stopCode,
      stoppedReason: fill(failure.stoppedReason, image),
      containers: containers.map((c) =>
        c === essential
          ? {
              ...c,
              ...(failure.exitCode !== undefined && { exitCode: failure.exitCode }),
              ...(failure.containerReason !== undefined && { reason: fill(failure.containerReason, image) }),
            }
          : { ...c, ...(failure.exitCode !== undefined && { exitCode: 0 }) },
      ),
    };
    tasks.set(task.arn, task);
    return task;
  }

  function hostFor(service: ServiceRecord): RolloutHost {
    const host: RolloutHost = {
      event: (at, message) => {
        service.events.unshift({ id: `${service.name}-${nextId()}`, createdAt: at, message });
        service.events.sort((a, b) => b.createdAt - a.createdAt);
      },
      startDeployment: (at, taskDefinition, plan, previous) =>
        startDeployment(service, at, taskDefinition, plan, previous),
      stoppedTask: (at, deployment, failure) => {
        const base = {
          clusterArn: service.clusterArn,
          taskDefinitionArn: deployment.taskDefinition,
          startedBy: deployment.id,
          group: `service:${service.name}`,
          launchType: service.launchType,
          createdAt: at,
        };
        return (
          failedTask(at, base, failure, at - 5_000)
            .arn.split('/')
            .pop() ?? ''
        );
      },
      completed: (deployment) => {
        service.knownGood.add(deployment.taskDefinition);
        for (const other of service.deployments) {
          if (other === deployment || other.status === 'INACTIVE') continue;
          other.status = 'INACTIVE';
          if (other.serviceDeploymentStatus === 'ROLLBACK_IN_PROGRESS') {
            Object.assign(other, {
              serviceDeploymentStatus: 'ROLLBACK_SUCCESSFUL',
              finishedAt: deployment.finishedAt,
            });
          }
        }
      },
    };
    return host;
  }

  function startDeployment(
    service: ServiceRecord,
    at: number,
    taskDefinition: string,
    plan: RolloutPlan,
    previous: string | undefined,
  ): DeploymentRecord {
    for (const other of service.deployments) {
      if (other.status !== 'PRIMARY') continue;
      other.status = 'ACTIVE';
      if (other.rolloutState === 'IN_PROGRESS') {
        Object.assign(other, {
          serviceDeploymentStatus: 'STOPPED',
          statusReason: 'Superseded by a newer deployment.',
          finishedAt: at,
        });
      }
    }
    const id = nextId();
    const deployment: DeploymentRecord = {
      id: `ecs-svc/${id}`,
      arn: `arn:aws:ecs:${service.arn.split(':')[3]}:${context.accountId}:service-deployment/${service.cluster}/${service.name}/${id}`,
      taskDefinition,
      createdAt: at,
      updatedAt: at,
      scenario: context.scenarioFor(service.name).name,
      plan,
      previousTaskDefinition: previous,
      desiredCount: service.desiredCount,
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ecs-svc/${id} in progress.`,
      runningCount: 0,
      pendingCount: service.desiredCount,
      failedTasks: 0,
      serviceDeploymentStatus: 'IN_PROGRESS',
      startedTasksEvent: false,
    };
    service.deployments.unshift(deployment);
    return deployment;
  }

  /** Plays every deployment of the service forward to now (a circuit breaker rollback starts one more). */
  function settle(service: ServiceRecord): void {
    const host = hostFor(service);
    let changed = true;
    while (changed) {
      changed = false;
      for (const deployment of [...service.deployments].reverse()) {
        if (advanceDeployment(deployment, service.name, now(), host)) changed = true;
      }
    }
  }

  function primary(service: ServiceRecord): DeploymentRecord {
    const found = service.deployments.find((d) => d.status === 'PRIMARY');
    if (!found) throw new Error(`service ${service.name} has no PRIMARY deployment`);
    return found;
  }

  function find(cluster: unknown, name: unknown): ServiceRecord | undefined {
    const service = services.get(`${clusterName(cluster)}/${serviceName(name)}`);
    if (service) settle(service);
    return service;
  }

  function require(cluster: unknown, name: unknown): ServiceRecord {
    const service = find(cluster, name);
    if (!service) throw new ServiceError('ServiceNotFoundException', 'Service not found.');
    return service;
  }

  function throttle(service: ServiceRecord): void {
    const limit = scenario(service.name).throttle;
    const rolling = service.deployments.some(
      (d) => d.rolloutState === 'IN_PROGRESS' || d.serviceDeploymentStatus === 'ROLLBACK_IN_PROGRESS',
    );
    if (!limit || !rolling) return;
    const n = service.reads++;
    if (n % limit.period < limit.burst) {
      service.throttled++;
      throw new ServiceError('ThrottlingException', 'Rate exceeded');
    }
  }

  function deploymentView(d: DeploymentRecord): Json {
    return {
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount,
      pendingCount: d.pendingCount,
      runningCount: d.runningCount,
      failedTasks: d.failedTasks,
      createdAt: new Date(d.createdAt),
      updatedAt: new Date(d.updatedAt),
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    };
  }

  function serviceView(service: ServiceRecord): Json {
    if (service.deploymentController === 'CODE_DEPLOY') return blueGreenView(service);
    return rollingView(service);
  }

  /**
   * A CODE_DEPLOY service lists task sets, the PRIMARY one serving traffic (ECS API reference,
   * Service.taskSets: "a set of Amazon ECS tasks in either an CodeDeploy or an EXTERNAL
   * deployment"); its task definition is the PRIMARY task set's.
   */
  function blueGreenView(service: ServiceRecord): Json {
    const own = rollingView(service);
    const taskSets = link.codedeploy?.taskSets(service.cluster, service.name) ?? [
      {
        id: 'ecs-svc/1000000000000000001',
        status: 'PRIMARY',
        taskDefinition: own.taskDefinition,
        computedDesiredCount: service.desiredCount,
        runningCount: service.desiredCount,
        pendingCount: 0,
        stabilityStatus: 'STEADY_STATE',
      },
    ];
    const serving = taskSets.find((set) => set.status === 'PRIMARY');
    const { currentServiceDeployment: _none, ...rest } = own;
    return { ...rest, taskDefinition: serving?.taskDefinition, taskSets, deployments: [] };
  }

  function rollingView(service: ServiceRecord): Json {
    const current = primary(service);
    const listed = service.deployments.filter((d) => d.status !== 'INACTIVE');
    const reports = scenario(service.name).reportsServiceDeployments;
    return {
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: service.clusterArn,
      status: 'ACTIVE',
      desiredCount: service.desiredCount,
      runningCount: listed.reduce((sum, d) => sum + d.runningCount, 0),
      pendingCount: listed.reduce((sum, d) => sum + d.pendingCount, 0),
      launchType: service.launchType,
      taskDefinition: current.taskDefinition,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: scenario(service.name).circuitBreakerRollback },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      deployments: listed.map(deploymentView),
      events: service.events.slice(0, 100).map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
      createdAt: new Date(service.createdAt),
      ...(reports && { currentServiceDeployment: current.arn }),
      ...(service.networkConfiguration !== undefined && {
        networkConfiguration: service.networkConfiguration,
      }),
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: service.deploymentController },
      ...(service.loadBalancers.length > 0 && { loadBalancers: service.loadBalancers }),
      ...(service.propagateTags !== undefined && { propagateTags: service.propagateTags }),
      ...(service.enableECSManagedTags !== undefined && {
        enableECSManagedTags: service.enableECSManagedTags,
      }),
    };
  }

  function serviceDeploymentView(service: ServiceRecord, d: DeploymentRecord): Json {
    return {
      serviceDeploymentArn: d.arn,
      serviceArn: service.arn,
      clusterArn: service.clusterArn,
      createdAt: new Date(d.createdAt),
      startedAt: new Date(d.createdAt),
      updatedAt: new Date(d.updatedAt),
      ...(d.finishedAt !== undefined && { finishedAt: new Date(d.finishedAt) }),
      status: d.serviceDeploymentStatus,
      ...(d.statusReason !== undefined && { statusReason: d.statusReason }),
      ...(d.rollback && {
        rollback: { reason: d.rollback.reason, startedAt: new Date(d.rollback.startedAt) },
      }),
      targetServiceRevision: {
        arn: `${d.arn}/revision`,
        requestedTaskCount: d.desiredCount,
        runningTaskCount: d.runningCount,
      },
      deploymentCircuitBreaker: { status: 'MONITORING', failureCount: d.failedTasks, threshold: 3 },
    };
  }

  function createService(input: Json, region: string): ServiceRecord {
    const cluster = clusterName(input.cluster);
    const name = String(input.serviceName ?? '');
    if (!name) throw new ServiceError('InvalidParameterException', 'serviceName is required.');
    if (services.has(`${cluster}/${name}`)) {
      throw new ServiceError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const taskDefinition = taskDefinitions.find(input.taskDefinition).arn;
    const at = now();
    const service: ServiceRecord = {
      name,
      cluster,
      arn: `arn:aws:ecs:${region}:${context.accountId}:service/${cluster}/${name}`,
      clusterArn: `arn:aws:ecs:${region}:${context.accountId}:cluster/${cluster}`,
      createdAt: at,
      launchType: typeof input.launchType === 'string' ? input.launchType : 'FARGATE',
      ...(input.networkConfiguration !== undefined && { networkConfiguration: input.networkConfiguration }),
      deploymentController: String((input.deploymentController as Json | undefined)?.type ?? 'ECS'),
      loadBalancers: Array.isArray(input.loadBalancers) ? (input.loadBalancers as Json[]) : [],
      desiredCount: typeof input.desiredCount === 'number' ? input.desiredCount : 1,
      deployments: [],
      events: [],
      knownGood: new Set([taskDefinition]),
      reads: 0,
      throttled: 0,
    };
    services.set(`${cluster}/${name}`, service);
    // A new service starts stable, so every test begins from a known-good revision.
    const first = startDeployment(service, at, taskDefinition, { kind: 'complete', seconds: 0 }, undefined);
    advanceDeployment(first, name, at, hostFor(service));
    if (Array.isArray(input.tags) && input.tags.length > 0) tags.set(service.arn, input.tags as Json[]);
    return service;
  }

  function updateService(input: Json): ServiceRecord {
    const service = require(input.cluster, input.service);
    // UpdateService: with the blue/green (CODE_DEPLOY) controller only the desired count, deployment
    // configuration, tag settings and a few more can be changed; a new task definition needs a
    // CodeDeploy deployment (ECS API reference, UpdateService).
    if (service.deploymentController === 'CODE_DEPLOY' && input.taskDefinition !== undefined) {
      throw new ServiceError(
        'InvalidParameterException',
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
      );
    }
    const at = now();
    // Tag settings change no deployment ("This parameter doesn't trigger a new service deployment").
    if (typeof input.propagateTags === 'string') service.propagateTags = input.propagateTags;
    if (typeof input.enableECSManagedTags === 'boolean')
      service.enableECSManagedTags = input.enableECSManagedTags;
    if (typeof input.desiredCount === 'number') {
      service.desiredCount = input.desiredCount;
      for (const d of service.deployments) if (d.status === 'PRIMARY') d.desiredCount = input.desiredCount;
    }
    const current = primary(service);
    const requested =
      input.taskDefinition === undefined
        ? current.taskDefinition
        : taskDefinitions.find(input.taskDefinition).arn;
    if (requested !== current.taskDefinition || input.forceNewDeployment === true) {
      const plan = planRollout(scenario(service.name), service.knownGood.has(requested));
      startDeployment(service, at, requested, plan, current.taskDefinition);
    }
    return service;
  }

  function taskView(task: TaskRecord, include: unknown = []): Json {
    const at = now();
    const stopped = task.stopAt !== undefined && at >= task.stopAt;
    const running = at >= task.createdAt + 5_000;
    return {
      taskArn: task.arn,
      clusterArn: task.clusterArn,
      taskDefinitionArn: task.taskDefinitionArn,
      startedBy: task.startedBy,
      group: task.group,
      launchType: task.launchType,
      ...(task.capacityProviderName !== undefined && { capacityProviderName: task.capacityProviderName }),
      ...(task.overrides !== undefined && { overrides: task.overrides }),
      ...(task.attachments !== undefined && { attachments: task.attachments }),
      // DescribeTasks answers tags only when asked: include: ["TAGS"].
      ...(task.tags !== undefined &&
        Array.isArray(include) &&
        include.includes('TAGS') && { tags: task.tags }),
      createdAt: new Date(task.createdAt),
      lastStatus: stopped ? 'STOPPED' : running ? 'RUNNING' : 'PENDING',
      desiredStatus: stopped ? 'STOPPED' : 'RUNNING',
      ...(running &&
        task.stopCode !== 'TaskFailedToStart' && { startedAt: new Date(task.createdAt + 5_000) }),
      ...(stopped && {
        stoppedAt: new Date(task.stopAt ?? at),
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason,
      }),
      containers: task.containers.map(({ essential: _essential, exitCode, reason, ...c }) => ({
        ...c,
        taskArn: task.arn,
        lastStatus: stopped ? 'STOPPED' : running ? 'RUNNING' : 'PENDING',
        ...(stopped && exitCode !== undefined && { exitCode }),
        ...(stopped && reason !== undefined && { reason }),
      })),
    };
  }

  function runTask(input: Json, region: string): TaskRecord {
    const stored = taskDefinitions.find(input.taskDefinition);
    const strategy = Array.isArray(input.capacityProviderStrategy)
      ? (input.capacityProviderStrategy as Json[])
      : [];
    if (strategy.length > 0 && input.launchType !== undefined) {
      // RunTask: "If a capacityProviderStrategy is specified, the launchType parameter must be omitted."
      throw new ServiceError(
        'InvalidParameterException',
        'Specifying both a launchType and capacityProviderStrategy is not supported.',
      );
    }
    const provider = placedOn(strategy);
    const launchType =
      provider === undefined
        ? typeof input.launchType === 'string'
          ? input.launchType
          : 'EC2'
        : provider.startsWith('FARGATE')
          ? 'FARGATE'
          : 'EC2';
    const network = (
      input.networkConfiguration as { awsvpcConfiguration?: { subnets?: unknown[] } } | undefined
    )?.awsvpcConfiguration;
    const overrides = input.overrides as { containerOverrides?: Json[] } | undefined;
    const names = containersOf(stored.arn).map((c) => c.name);
    for (const override of overrides?.containerOverrides ?? []) {
      if (override.name !== undefined && !names.includes(String(override.name))) {
        throw new ServiceError(
          'InvalidParameterException',
          `Override for container named ${String(override.name)} is not a container in the TaskDefinition.`,
        );
      }
    }
    if (stored.taskDefinition.networkMode === 'awsvpc' && !network?.subnets?.length) {
      throw new ServiceError(
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
    const cluster = clusterName(input.cluster);
    const clusterArn = `arn:aws:ecs:${region}:${context.accountId}:cluster/${cluster}`;
    const s = scenario(stored.family);
    const at = now();
    const base = {
      clusterArn,
      taskDefinitionArn: stored.arn,
      startedBy: typeof input.startedBy === 'string' ? input.startedBy : '',
      group: typeof input.group === 'string' ? input.group : `family:${stored.family}`,
      launchType,
      createdAt: at,
      ...(provider !== undefined && { capacityProviderName: provider }),
      ...(overrides !== undefined && {
        overrides: {
          containerOverrides: overrides.containerOverrides ?? [],
          inferenceAcceleratorOverrides: [],
        },
      }),
      ...(network?.subnets?.length && { attachments: [eniAttachment(String(network.subnets[0]))] }),
      ...(Array.isArray(input.tags) && input.tags.length > 0 && { tags: input.tags as Json[] }),
    };
    if (s.failure !== undefined && s.rollout !== 'complete') {
      const task = failedTask(at + s.taskFailureSeconds * 1000, base, s.failure, at);
      if (s.rollout === 'never') delete task.stopAt;
      return task;
    }
    const task: TaskRecord = {
      ...base,
      arn: `${clusterArn.replace(':cluster/', ':task/')}/${taskId()}`,
      stopAt: at + s.rolloutSeconds * 1000,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: containersOf(stored.arn).map((c) => ({ ...c, exitCode: 0 })),
    };
    tasks.set(task.arn, task);
    return task;
  }

  /** The provider a single task lands on: the one with a base, else the first with the greatest weight. */
  function placedOn(strategy: readonly Json[]): string | undefined {
    if (strategy.length === 0) return undefined;
    const withBase = strategy.find((i) => typeof i.base === 'number' && i.base > 0);
    const weight = (i: Json): number => (typeof i.weight === 'number' ? i.weight : 0);
    const chosen = withBase ?? strategy.reduce((best, i) => (weight(i) > weight(best) ? i : best));
    return String(chosen.capacityProvider);
  }

  /** An awsvpc task's network interface as DescribeTasks shows it: the details ECS lists, by name. */
  function eniAttachment(subnetId: string): Json {
    const n = ++counter;
    return {
      id: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      type: 'ElasticNetworkInterface',
      status: 'ATTACHED',
      details: [
        { name: 'subnetId', value: subnetId },
        { name: 'networkInterfaceId', value: `eni-${n.toString(16).padStart(17, '0')}` },
        { name: 'privateIPv4Address', value: `10.0.${(n >> 8) & 255}.${n & 255}` },
      ],
    };
  }

  function listTasks(input: Json): string[] {
    const cluster = clusterName(input.cluster);
    const desired = typeof input.desiredStatus === 'string' ? input.desiredStatus : 'RUNNING';
    for (const service of services.values()) settle(service);
    link.codedeploy?.settle();
    return [...tasks.values()]
      .filter((task) => task.clusterArn.endsWith(`:cluster/${cluster}`))
      .filter((task) => input.startedBy === undefined || task.startedBy === input.startedBy)
      .filter(
        (task) => input.serviceName === undefined || task.group === `service:${String(input.serviceName)}`,
      )
      .filter((task) => taskView(task).desiredStatus === desired)
      .sort((a, b) => (b.stopAt ?? 0) - (a.stopAt ?? 0))
      .map((task) => task.arn);
  }

  const op = (name: string, handle: Operation['handle']): Operation => ({
    name,
    route: { protocol: 'json', target: `${TARGET}.${name}` },
    handle,
  });

  const operations: Operation[] = [
    op('RegisterTaskDefinition', ({ input, region }) => {
      const stored = taskDefinitions.register(input, region, now());
      if (stored.tags.length > 0) tags.set(stored.arn, [...stored.tags]);
      return { taskDefinition: stored.taskDefinition, tags: stored.tags };
    }),
    op('DescribeTaskDefinition', ({ input }) => {
      const stored = taskDefinitions.find(input.taskDefinition);
      const include = Array.isArray(input.include) && input.include.includes('TAGS');
      return { taskDefinition: stored.taskDefinition, ...(include && { tags: tags.get(stored.arn) ?? [] }) };
    }),
    op('CreateService', ({ input, region }) => ({ service: serviceView(createService(input, region)) })),
    op('UpdateService', ({ input }) => ({ service: serviceView(updateService(input)) })),
    op('DescribeServices', ({ input }) => {
      const names = Array.isArray(input.services) ? input.services : [];
      const found: Json[] = [];
      const failures: Json[] = [];
      for (const name of names) {
        const service = find(input.cluster, name);
        if (!service) {
          failures.push({ arn: String(name), reason: 'MISSING' });
          continue;
        }
        throttle(service);
        found.push(serviceView(service));
      }
      return { services: found, failures };
    }),
    op('ListServiceDeployments', ({ input }) => {
      const service = require(input.cluster, input.service);
      throttle(service);
      const wanted = Array.isArray(input.status) ? (input.status as string[]) : undefined;
      return {
        serviceDeployments: service.deployments
          .filter((d) => wanted === undefined || wanted.includes(d.serviceDeploymentStatus))
          .map((d) => {
            const full = serviceDeploymentView(service, d);
            return Object.fromEntries(BRIEF_FIELDS.filter((f) => f in full).map((f) => [f, full[f]]));
          }),
      };
    }),
    op('DescribeServiceDeployments', ({ input }) => {
      const arns = Array.isArray(input.serviceDeploymentArns)
        ? (input.serviceDeploymentArns as string[])
        : [];
      const found: Json[] = [];
      const failures: Json[] = [];
      for (const arn of arns) {
        const [cluster, name] = (arn.split('service-deployment/')[1] ?? '').split('/');
        const service = find(cluster, name);
        const deployment = service?.deployments.find((d) => d.arn === arn);
        if (!service || !deployment) {
          failures.push({ arn, reason: 'MISSING' });
          continue;
        }
        throttle(service);
        found.push(serviceDeploymentView(service, deployment));
      }
      return { serviceDeployments: found, failures };
    }),
    op('ListTasks', ({ input }) => ({ taskArns: listTasks(input) })),
    op('DescribeTasks', ({ input }) => {
      const arns = Array.isArray(input.tasks) ? (input.tasks as string[]) : [];
      for (const service of services.values()) settle(service);
      const found = arns.map(
        (arn) => tasks.get(arn) ?? [...tasks.values()].find((t) => t.arn.endsWith(`/${arn}`)),
      );
      return {
        tasks: found.filter((t): t is TaskRecord => t !== undefined).map((t) => taskView(t, input.include)),
        failures: arns.filter((_, i) => found[i] === undefined).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    }),
    op('RunTask', ({ input, region }) => {
      // RunTask's clientToken: "an identifier that you provide to ensure the idempotency of the
      // request" (ECS API reference): a resent request with the same token starts nothing new.
      const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
      const task = (token !== undefined ? runTokens.get(token) : undefined) ?? runTask(input, region);
      if (token !== undefined) runTokens.set(token, task);
      return { tasks: [taskView(task)], failures: [] };
    }),
    op('StopTask', ({ input }) => {
      const task = tasks.get(String(input.task));
      if (!task) throw new ServiceError('InvalidParameterException', 'The referenced task was not found.');
      if (task.stopAt === undefined || task.stopAt > now()) {
        Object.assign(task, {
          stopAt: now(),
          stopCode: 'UserInitiated',
          stoppedReason: String(input.reason ?? 'Task stopped by user'),
        });
      }
      return { task: taskView(task) };
    }),
    op('TagResource', ({ input }) => {
      const arn = String(input.resourceArn);
      const added = Array.isArray(input.tags) ? (input.tags as Json[]) : [];
      const kept = (tags.get(arn) ?? []).filter((t) => !added.some((a) => a.key === t.key));
      tags.set(arn, [...kept, ...added]);
      return {};
    }),
    op('UntagResource', ({ input }) => {
      const arn = String(input.resourceArn);
      const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as unknown[]) : [];
      tags.set(
        arn,
        (tags.get(arn) ?? []).filter((t) => !keys.includes(t.key)),
      );
      return {};
    }),
    op('ListTagsForResource', ({ input }) => ({ tags: tags.get(String(input.resourceArn)) ?? [] })),
  ];

  return {
    operations,
    /** `{ serviceName, cluster?, taskDefinition: {...} | 'family:rev', desiredCount? }`: registers and creates in one go. */
    seed: (input, region) => {
      const definition = input.taskDefinition;
      const arn =
        typeof definition === 'object' && definition !== null
          ? taskDefinitions.register(definition as Json, region, now()).arn
          : taskDefinitions.find(definition).arn;
      return { service: serviceView(createService({ ...input, taskDefinition: arn }, region)) };
    },
    state: () => ({
      services: [...services.values()].map((service) => {
        settle(service);
        return {
          serviceName: service.name,
          cluster: service.cluster,
          scenario: context.scenarioFor(service.name).name,
          taskDefinition: serviceView(service).taskDefinition,
          deploymentController: service.deploymentController,
          ...(service.deploymentController === 'CODE_DEPLOY' && { taskSets: serviceView(service).taskSets }),
          throttled: service.throttled,
          knownGood: [...service.knownGood],
          deployments: service.deployments.map((d) => ({
            ...deploymentView(d),
            serviceDeploymentArn: d.arn,
            serviceDeploymentStatus: d.serviceDeploymentStatus,
            scenario: d.scenario,
            createdAt: new Date(d.createdAt).toISOString(),
            updatedAt: new Date(d.updatedAt).toISOString(),
            ...(d.finishedAt !== undefined && {
              finishedAt: new Date(d.finishedAt).toISOString(),
              finishedAtMs: d.finishedAt,
            }),
          })),
          events: service.events.map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() })),
        };
      }),
      taskDefinitions: taskDefinitions.all().map((t) => ({ arn: t.arn, request: t.request })),
    }),
  };
}

/** Amazon ECS over JSON 1.1: task definitions, services that roll out over virtual time, tasks and tags. */
export const ecsService = defineService<EcsScenario>({
  service: 'ecs',
  signingName: 'ecs',
  scenarios: ECS_SCENARIOS,
  defaultScenario: 'healthy',
  create: createEcs,
});
