import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { testApp } from './test-app';

/**
 * Every logical id the deployed stacks had when the code moved to one folder per function. A
 * resource whose logical id changes is replaced by CloudFormation: for the stateful stack that
 * means new, empty tables, buckets and keys; for the API stack, new functions and routes. Adding
 * resources is fine; none of these may disappear or change type.
 */
const DEPLOYED: Record<'stateful' | 'api', Readonly<Record<string, string>>> = {
  stateful: {
    AccessLogs8B620ECA: 'AWS::S3::Bucket',
    AccessLogsPolicyABDC4D2D: 'AWS::S3::BucketPolicy',
    Audit3D8ADE0A: 'AWS::DynamoDB::Table',
    DataKey17AFBB84: 'AWS::KMS::Key',
    IdempotencyC15CBC33: 'AWS::DynamoDB::Table',
    Packs8D2756ED: 'AWS::S3::Bucket',
    PacksPolicy4AAD95AB: 'AWS::S3::BucketPolicy',
    PseudonymKey2CD808DE: 'AWS::SecretsManager::Secret',
    Records091F6ECA: 'AWS::DynamoDB::Table',
    Uploads4F6EB0FD: 'AWS::S3::Bucket',
    UploadsPolicy148F8199: 'AWS::S3::BucketPolicy',
  },
  api: {
    AddCodebookThemeRoute431E1E33: 'AWS::ApiGatewayV2::Route',
    AddCodebookThemeRouteFindingsIntegrationPermissionC5AE1453: 'AWS::Lambda::Permission',
    AddCommunityResourceRouteD0B9F460: 'AWS::ApiGatewayV2::Route',
    AddCommunityResourceRouteEngagementIntegrationPermission65DACA9A: 'AWS::Lambda::Permission',
    AdminFunctionHandlerD8A0CF43: 'AWS::Lambda::Function',
    AdminFunctionLogGroup134668F8: 'AWS::Logs::LogGroup',
    AdminFunctionRole4861ED75: 'AWS::IAM::Role',
    AdminFunctionRoleDefaultPolicy1E028A23: 'AWS::IAM::Policy',
    AdminGroup: 'AWS::Cognito::UserPoolGroup',
    ApiAccessLogsE9DF007D: 'AWS::Logs::LogGroup',
    ChangeProgrammeRoute7A47F21D: 'AWS::ApiGatewayV2::Route',
    ChangeProgrammeRouteAdminIntegrationDB6FFF6B: 'AWS::ApiGatewayV2::Integration',
    ChangeProgrammeRouteAdminIntegrationPermission95A3D946: 'AWS::Lambda::Permission',
    CreateUploadRoute75ECF177: 'AWS::ApiGatewayV2::Route',
    CreateUploadRouteFindingsIntegrationPermission06A02EFE: 'AWS::Lambda::Permission',
    DefaultRoute2627871E: 'AWS::ApiGatewayV2::Route',
    DefaultRoutePlatformIntegrationPermissionE1A46BE8: 'AWS::Lambda::Permission',
    EngagementFunctionHandlerA39468BD: 'AWS::Lambda::Function',
    EngagementFunctionLogGroupED130656: 'AWS::Logs::LogGroup',
    EngagementFunctionRole86BD16E9: 'AWS::IAM::Role',
    EngagementFunctionRoleDefaultPolicyB04B6B2B: 'AWS::IAM::Policy',
    EraseParticipantRouteADB9C8F8: 'AWS::ApiGatewayV2::Route',
    EraseParticipantRouteParticipantsIntegrationPermission55F05D16: 'AWS::Lambda::Permission',
    EvaluatorGroup: 'AWS::Cognito::UserPoolGroup',
    FindingsFunctionHandlerAE87B51B: 'AWS::Lambda::Function',
    FindingsFunctionLogGroup785C649D: 'AWS::Logs::LogGroup',
    FindingsFunctionRole3365E0F6: 'AWS::IAM::Role',
    FindingsFunctionRoleDefaultPolicyFA8E7BB6: 'AWS::IAM::Policy',
    GetCodebookRouteD5FC2BEA: 'AWS::ApiGatewayV2::Route',
    GetCodebookRouteFindingsIntegrationBB513C36: 'AWS::ApiGatewayV2::Integration',
    GetCodebookRouteFindingsIntegrationPermission04A3959A: 'AWS::Lambda::Permission',
    GetInterviewRoute8E64FD43: 'AWS::ApiGatewayV2::Route',
    GetInterviewRouteFindingsIntegrationPermission51FC392C: 'AWS::Lambda::Permission',
    GetProgrammeRoute9D55709D: 'AWS::ApiGatewayV2::Route',
    GetProgrammeRoutePlatformIntegrationPermission62EE45B6: 'AWS::Lambda::Permission',
    GetQuestionnaireRouteE2AC4767: 'AWS::ApiGatewayV2::Route',
    GetQuestionnaireRoutePlatformIntegrationPermission42A6686F: 'AWS::Lambda::Permission',
    HealthRoute1549419C: 'AWS::ApiGatewayV2::Route',
    HealthRoutePlatformIntegrationF52AFE08: 'AWS::ApiGatewayV2::Integration',
    HealthRoutePlatformIntegrationPermission94B84348: 'AWS::Lambda::Permission',
    HttpApiCognitoJwt4B02D8E4: 'AWS::ApiGatewayV2::Authorizer',
    HttpApiDefaultStage3EEB07D6: 'AWS::ApiGatewayV2::Stage',
    HttpApiF5A9A8A7: 'AWS::ApiGatewayV2::Api',
    ImportCsvRoute6447510B: 'AWS::ApiGatewayV2::Route',
    ImportCsvRouteImportsIntegrationB477E350: 'AWS::ApiGatewayV2::Integration',
    ImportCsvRouteImportsIntegrationPermission711DCCF1: 'AWS::Lambda::Permission',
    ImportsFunctionHandler33E44780: 'AWS::Lambda::Function',
    ImportsFunctionLogGroup0EB90FA3: 'AWS::Logs::LogGroup',
    ImportsFunctionRole98F84B56: 'AWS::IAM::Role',
    ImportsFunctionRoleDefaultPolicy4A9863C1: 'AWS::IAM::Policy',
    ListCommunityResourcesRoute725D00A7: 'AWS::ApiGatewayV2::Route',
    ListCommunityResourcesRouteEngagementIntegrationPermission236F8BC0: 'AWS::Lambda::Permission',
    ListFollowUpsRoute101310A7: 'AWS::ApiGatewayV2::Route',
    ListFollowUpsRouteParticipantsIntegrationPermissionE86489AF: 'AWS::Lambda::Permission',
    ListSitesRoute67C96619: 'AWS::ApiGatewayV2::Route',
    ListSitesRoutePlatformIntegrationPermission5D2D90BE: 'AWS::Lambda::Permission',
    MarketGroup: 'AWS::Cognito::UserPoolGroup',
    OpenapiRoute2003309B: 'AWS::ApiGatewayV2::Route',
    OpenapiRoutePlatformIntegrationPermission39830687: 'AWS::Lambda::Permission',
    ParticipantsFunctionHandler7AD3DF74: 'AWS::Lambda::Function',
    ParticipantsFunctionLogGroupD457CFAD: 'AWS::Logs::LogGroup',
    ParticipantsFunctionRole183E2722: 'AWS::IAM::Role',
    ParticipantsFunctionRoleDefaultPolicy40DBD760: 'AWS::IAM::Policy',
    PlatformFunctionHandlerA7131F4B: 'AWS::Lambda::Function',
    PlatformFunctionLogGroupBE749B83: 'AWS::Logs::LogGroup',
    PlatformFunctionRole779EA238: 'AWS::IAM::Role',
    PlatformFunctionRoleDefaultPolicy110FB463: 'AWS::IAM::Policy',
    PractitionerGroup: 'AWS::Cognito::UserPoolGroup',
    ProviderGroup: 'AWS::Cognito::UserPoolGroup',
    ReadAuditRoute3455F32D: 'AWS::ApiGatewayV2::Route',
    ReadAuditRouteAdminIntegrationPermissionB85DBA50: 'AWS::Lambda::Permission',
    ReferralsFunctionHandlerC6F047CC: 'AWS::Lambda::Function',
    ReferralsFunctionLogGroup564057D0: 'AWS::Logs::LogGroup',
    ReferralsFunctionRole6F65ACAE: 'AWS::IAM::Role',
    ReferralsFunctionRoleDefaultPolicy71960DA1: 'AWS::IAM::Policy',
    SubmitCapitalAssessmentRoute303C2BFB: 'AWS::ApiGatewayV2::Route',
    SubmitCapitalAssessmentRouteParticipantsIntegration80567E14: 'AWS::ApiGatewayV2::Integration',
    SubmitCapitalAssessmentRouteParticipantsIntegrationPermission903CB00B: 'AWS::Lambda::Permission',
    SubmitEngagementReturnRoute7BE5ED3D: 'AWS::ApiGatewayV2::Route',
    SubmitEngagementReturnRouteEngagementIntegration05CDADA4: 'AWS::ApiGatewayV2::Integration',
    SubmitEngagementReturnRouteEngagementIntegrationPermissionD530C42C: 'AWS::Lambda::Permission',
    SubmitInterviewRoute2D0E895D: 'AWS::ApiGatewayV2::Route',
    SubmitInterviewRouteFindingsIntegrationPermission9CBA5C3E: 'AWS::Lambda::Permission',
    SubmitReferralBarrierRoute63595B5B: 'AWS::ApiGatewayV2::Route',
    SubmitReferralBarrierRouteReferralsIntegration524B2CDE: 'AWS::ApiGatewayV2::Integration',
    SubmitReferralBarrierRouteReferralsIntegrationPermissionC4601316: 'AWS::Lambda::Permission',
    SubmitWellbeingPulseRouteD31D50DA: 'AWS::ApiGatewayV2::Route',
    SubmitWellbeingPulseRouteWellbeingIntegrationCC09B622: 'AWS::ApiGatewayV2::Integration',
    SubmitWellbeingPulseRouteWellbeingIntegrationPermission7B1DB2E8: 'AWS::Lambda::Permission',
    UserPool6BA7E5F2: 'AWS::Cognito::UserPool',
    UserPoolWebClient4C9370B0: 'AWS::Cognito::UserPoolClient',
    WellbeingFunctionHandlerE6BEBB3D: 'AWS::Lambda::Function',
    WellbeingFunctionLogGroup5ABE7FDB: 'AWS::Logs::LogGroup',
    WellbeingFunctionRole54146F50: 'AWS::IAM::Role',
    WellbeingFunctionRoleDefaultPolicyC8AA1C5D: 'AWS::IAM::Policy',
    WellbeingSummaryRoute3A641390: 'AWS::ApiGatewayV2::Route',
    WellbeingSummaryRouteWellbeingIntegrationPermission50DB73A0: 'AWS::Lambda::Permission',
  },
};

const stacks = testApp();

describe.each(['stateful', 'api'] as const)('the %s stack', (name) => {
  // The first synth of the app (every stack, with cdk-nag) takes 25 s on a loaded two-core machine.
  it('keeps every deployed logical id, with its type', { timeout: 120_000 }, () => {
    const { Resources } = Template.fromStack(stacks[name]).toJSON() as {
      Resources: Record<string, { Type: string }>;
    };
    const now = Object.fromEntries(Object.entries(Resources).map(([id, r]) => [id, r.Type]));
    const missing = Object.entries(DEPLOYED[name]).filter(([id, type]) => now[id] !== type);
    expect(missing).toEqual([]);
  });
});
