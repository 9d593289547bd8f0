import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { EdgeStack } from './edge-stack';
import { EDGE_REGION, STACK_NAMES } from './names';
import { StatefulStack } from './stateful-stack';

/** The region when nothing else is said: London, where the early-testing data must stay. */
export const DEFAULT_REGION = 'eu-west-2';

/** The stacks of one deployment. */
export interface ClwLearningStacks {
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
  readonly edge: EdgeStack;
}

/**
 * Adds the stacks to `app`: `ClwLearning-Stateful` (data), `ClwLearning-Api` (everything that can be
 * redeployed freely) and `ClwLearning-Edge` (the WAF web ACL in us-east-1, where CloudFront requires
 * it; it holds no data).
 *
 * @param env - where to deploy. Defaults to the CLI's account in eu-west-2. Refuses any region outside
 *   the EU: the evidence must not leave it.
 */
export function buildApp(app: App, env: Environment = defaultEnvironment()): ClwLearningStacks {
  const region = env.region ?? DEFAULT_REGION;
  if (!region.startsWith('eu-')) {
    throw new Error(`Refusing to deploy to ${region}: the early-testing data must stay in the EU.`);
  }
  const stackEnv: Environment = { ...env, region };
  const stateful = new StatefulStack(app, STACK_NAMES.stateful, {
    env: stackEnv,
    description: 'CLW learning backend: key, tables, buckets and pseudonymisation secret (retained)',
  });
  const edge = new EdgeStack(app, STACK_NAMES.edge, {
    env: { ...env, region: EDGE_REGION },
    description: 'CLW learning backend: the WAF web ACL of the API distribution (no data)',
    crossRegionReferences: true,
  });
  const api = new ApiStack(app, STACK_NAMES.api, {
    env: stackEnv,
    description: 'CLW learning backend: user pool, HTTP API, functions and CloudFront distribution',
    data: stateful,
    webAclArn: edge.webAcl.attrArn,
    crossRegionReferences: true,
  });
  return { stateful, api, edge };
}

/** Registers the cdk-nag packs the project is held to. cdk-nag 3 runs them as validation plugins at synth. */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

function defaultEnvironment(): Environment {
  // Not CDK_DEFAULT_REGION: the CLI fills it from the caller's AWS profile and falls back to
  // us-east-1 when there is none, so it would quietly move the data out of the EU. Another EU
  // region is a deliberate choice, made by passing `env`.
  return { account: process.env.CDK_DEFAULT_ACCOUNT, region: DEFAULT_REGION };
}
