import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { buildApp, type ClwLearningStacks } from '../../lib/app';

interface CdkJson {
  readonly context?: Record<string, unknown>;
}

/**
 * An app built as `cdk synth` builds it, with cdk.json's context (the feature flags change the
 * templates), but without bundling: `aws:cdk:bundling-stacks: []` makes every asset a placeholder,
 * so a test synthesises in a second or two instead of running esbuild per function.
 */
export function testApp(): { app: App } & ClwLearningStacks {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as CdkJson;
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  return { app, ...buildApp(app) };
}
