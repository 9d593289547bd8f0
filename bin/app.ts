/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Synthesis fails on any cdk-nag finding that is
 * neither fixed nor acknowledged with a reason on the construct it concerns.
 */
import { App } from 'aws-cdk-lib';
import { addComplianceChecks, buildApp } from '../lib/app';

const app = new App();
buildApp(app);
addComplianceChecks(app);
