import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/**
 * Requests one client address may make in any five minutes before WAF blocks it: a whole site's
 * staff behind one office address, each submitting and reading, stays far below this.
 */
export const WAF_RATE_LIMIT_PER_5_MINUTES = 1000;

/** The AWS managed rule groups the web ACL runs, in priority order. */
export const WAF_MANAGED_RULE_GROUPS = [
  // OWASP-style generic protections (oversized bodies, bad paths, XSS and the like).
  'AWSManagedRulesCommonRuleSet',
  // Request patterns known to exploit vulnerabilities (Log4j, Java deserialisation, ...).
  'AWSManagedRulesKnownBadInputsRuleSet',
  // Addresses Amazon's threat intelligence knows for bots and attacks.
  'AWSManagedRulesAmazonIpReputationList',
] as const;

/**
 * The AWS WAF web ACL for the API's CloudFront distribution. CloudFront only takes a web ACL from
 * us-east-1, so this small stack lives there, holding no evidence: no logging, and no sampled
 * requests (WAF would keep samples with their headers, bearer tokens included, outside the EU).
 * Only CloudWatch metrics (counts) leave the EU.
 */
export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: false,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      description: 'CLW learning API: managed rule groups and a per-address rate limit',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ClwLearningApi'),
      rules: [
        ...WAF_MANAGED_RULE_GROUPS.map((name, priority): wafv2.CfnWebACL.RuleProperty => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              // The API takes bodies up to 5 MB (imports) and checks each route's limit itself;
              // this rule would block every body over 8 KB.
              ...(name === 'AWSManagedRulesCommonRuleSet'
                ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }
                : {}),
            },
          },
          visibilityConfig: visibility(name),
        })),
        {
          name: 'RateLimitPerAddress',
          priority: WAF_MANAGED_RULE_GROUPS.length,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: WAF_RATE_LIMIT_PER_5_MINUTES, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility('RateLimitPerAddress'),
        },
      ],
    });
  }
}
