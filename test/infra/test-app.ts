import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll } from 'vitest';
import { buildApp, type ClwLearningStacks } from '../../lib/app';

interface CdkJson {
  readonly context?: Record<string, unknown>;
}

// Each app synthesises into its own temp folder (the CDK would otherwise make a `cdk.out*` one and
// leave it); the test file importing this removes them when it ends.
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for an app's output, removed when the test file ends. Give it to every `new App`. */
export function testOutdir(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'clw-cdk-'));
  outdirs.push(outdir);
  return outdir;
}

/**
 * An app built as `cdk synth` builds it, with cdk.json's context (the feature flags change the
 * templates), but without bundling: `aws:cdk:bundling-stacks: []` makes every asset a placeholder,
 * so a test synthesises in a second or two instead of running esbuild per function.
 */
export function testApp(): { app: App } & ClwLearningStacks {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as CdkJson;
  const app = new App({
    outdir: testOutdir(),
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
  });
  return { app, ...buildApp(app) };
}
