import { type App, type PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../lib/app';
import { testApp } from './test-app';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  readonly onStackOrApp: boolean;
}

interface Finding {
  readonly id: string;
  readonly path: string;
  readonly text: string;
}

const packs = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

/**
 * Runs the packs over the finished construct tree. `validateScope` is cdk-nag 3's direct entry point:
 * the same rules the validation plugins run at `cdk synth`, returned as data instead of a report.
 */
function findings(app: App, packList: NagPack[] = packs()): Finding[] {
  return packList.flatMap((pack) =>
    pack.validateScope(app).violations.flatMap((violation: PolicyViolation) =>
      violation.violatingResources.map((resource) => {
        const path = resource.constructPath ?? resource.resourceLogicalId ?? '?';
        return {
          id: violation.ruleName,
          path,
          text: `${violation.severity ?? 'finding'} ${violation.ruleName} at ${path}: ${violation.description}`,
        };
      }),
    ),
  );
}

/** Every `Validations.of(x).acknowledge(...)` in the app, read back from construct metadata. */
function acknowledgements(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path,
          // aws-cdk-lib stores the id with its plugin namespace, e.g. `Annotation::AwsSolutions-S1`.
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
          onStackOrApp: construct === app || Stack.isStack(construct),
        })),
      ),
  );
}

function synthesised(): App {
  const { app } = testApp();
  app.synth();
  return app;
}

/**
 * Synthesising the three stacks and running both packs over them takes well over the default test
 * timeout on a loaded machine.
 */
const SYNTH_TIMEOUT_MS = 120_000;

describe('cdk-nag (AwsSolutions and Serverless packs)', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('leaves no finding, error or warning, unacknowledged', () => {
    const found = findings(synthesised());

    expect(found, `cdk-nag findings:\n${found.map((f) => f.text).join('\n')}`).toEqual([]);
  });

  it('lets the app synthesise with the packs registered as bin/app.ts registers them', () => {
    const { app } = testApp();
    addComplianceChecks(app);

    // In a test process the CDK throws the whole validation report if any plugin finds something.
    expect(() => app.synth()).not.toThrow();
  });

  it('acknowledges only on the construct concerned, never on a whole stack or app, always with a reason', () => {
    const acks = acknowledgements(synthesised());

    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.onStackOrApp, `${ack.id} at ${ack.path}`).toBe(false);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('has no stale acknowledgement: each one covers a finding the packs would otherwise report', () => {
    const app = synthesised();
    // The packs with acknowledgements ignored: what the rules see before anyone explains them away.
    const blind = packs().map((pack) => Object.assign(pack, { isAcknowledged: () => false }));
    const raw = findings(app, blind);

    const stale = acknowledgements(app).filter(
      (ack) =>
        !raw.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale.map((ack) => `${ack.id} at ${ack.path}`)).toEqual([]);
  });
});
