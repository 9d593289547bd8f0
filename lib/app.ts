import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { StatefulStack } from './stateful-stack';

/** The region when nothing else is said: London, where the early-testing data must stay. */
export const DEFAULT_REGION = 'eu-west-2';

/** The stacks of one deployment. */
export interface ClwLearningStacks {
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
}

/**
 * Adds the two stacks to `app`: `ClwLearning-Stateful` (data) and `ClwLearning-Api` (everything that
 * can be redeployed freely).
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
  const stateful = new StatefulStack(app, 'ClwLearning-Stateful', {
    env: stackEnv,
    description: 'CLW learning backend: key, tables, buckets and pseudonymisation secret (retained)',
  });
  const api = new ApiStack(app, 'ClwLearning-Api', {
    env: stackEnv,
    description: 'CLW learning backend: user pool, HTTP API and functions',
    data: stateful,
  });
  return { stateful, api };
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
