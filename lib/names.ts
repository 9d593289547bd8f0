/**
 * Stack names, and the IAM role-name patterns that resource policies in the stateful stack use to
 * name the API stack's roles. The stateful stack is deployed first, so it cannot reference those
 * roles directly: CloudFormation gives a role it names itself `<stack name>-<logical id>-<suffix>`,
 * so a prefix pattern matches exactly the roles of one stack.
 */
export const STACK_NAMES = {
  stateful: 'ClwLearning-Stateful',
  api: 'ClwLearning-Api',
  /** In us-east-1: CloudFront only accepts a web ACL from there. It holds no data. */
  edge: 'ClwLearning-Edge',
} as const;

/** CloudFront web ACLs must live in this region, whatever the region of the distribution's origin. */
export const EDGE_REGION = 'us-east-1';

/**
 * Every role the API stack creates (its function roles). `account` is usually the `AWS::AccountId`
 * token.
 */
export const apiRolePattern = (account: string): string =>
  `arn:aws:iam::${account}:role/${STACK_NAMES.api}-*`;

/** The role of one API function: its construct id is `<Name>Function`, its role's logical id `<Name>FunctionRole…`. */
export const apiFunctionRolePattern = (account: string, functionName: string): string =>
  `arn:aws:iam::${account}:role/${STACK_NAMES.api}-${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}FunctionRole*`;

/** The import worker's role: its construct is `Imports/Worker` in the API stack (`lib/import-worker.ts`). */
export const importWorkerRolePattern = (account: string): string =>
  `arn:aws:iam::${account}:role/${STACK_NAMES.api}-ImportsWorkerRole*`;

/**
 * The role CloudFormation deploys with, from `cdk bootstrap` (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`).
 * Resource policies must keep it able to manage what it deployed.
 */
export const deployRolePattern = (account: string): string =>
  `arn:aws:iam::${account}:role/cdk-*-cfn-exec-role-${account}-*`;
