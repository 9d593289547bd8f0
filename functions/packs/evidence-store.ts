import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../shared/adapters/dynamo';
import { CommittedRows } from '../../shared/adapters/import-visibility';
import { DynamoEngagementReturnStore } from '../engagement/engagement-store';
import { DynamoPulseStore } from '../wellbeing/pulse-store';
import { DynamoReferralBarrierStore } from '../referrals/referral-store';
import { capitalPartitions } from '../participants/participant-store';
import type { StoredCheck } from '../participants/participants';
import type { StoredCommunityResource } from '../engagement/community-resources';
import type { StoredInterview } from '../findings/interviews';
import type { StoredChange } from '../voice/changes';
import type { StoredFeedbackAnswer } from '../voice/feedback';
import type {
  EvidenceBarrierReport,
  EvidenceChange,
  EvidenceFeedback,
  EvidenceCheck,
  EvidenceEngagementReturn,
  EvidenceFinding,
  EvidencePulse,
  EvidenceResource,
  PackEvidence,
  PackPeriod,
  SiteId,
} from './evidence';

export interface EvidenceQuery extends PackPeriod {
  readonly sites: readonly SiteId[];
}

/**
 * Reads every stream's records for the period and sites: one query per stream and site, each on the
 * partition the stream writes (`PULSE#`, `BARRIER#`, `INTERVIEW#`, `CAPITAL#` (one per shard), `ENGAGEMENT#`,
 * `RESOURCE#` then the site), each record reduced to what the pack needs as it arrives.
 *
 * What "in the period" means for each stream:
 * - check-ins: weeks whose Monday is from `from` to `to`;
 * - referral barrier reports: submitted from `from` to the end of `to`;
 * - interview findings: interviews held (their `date`) from `from` to `to`;
 * - capital checks: checks dated from `from` to `to` (the pack pairs a baseline with later checks
 *   of the same period only, so a pack never depends on records outside it);
 * - engagement returns: the months from `from`'s month to `to`'s month;
 * - community resources: the map as it stood at the end of the period (recorded on or before `to`);
 * - answers of people using the service: the months from `from`'s month to `to`'s month (an answer
 *   is dated by its month only);
 * - "you said, we did" changes: made from `from` to `to` (one partition, `CHANGES`, read once).
 */
export async function readPackEvidence(
  db: DynamoDBDocumentClient,
  tables: { readonly records: string; readonly audit: string },
  query: EvidenceQuery,
): Promise<PackEvidence> {
  const { from, to } = query;
  const pulses = new DynamoPulseStore(db, tables);
  const barriers = new DynamoReferralBarrierStore(db, tables);
  const engagement = new DynamoEngagementReturnStore(db, tables);
  // Interview findings and capital checks a bulk import has not committed are not evidence yet.
  const committed = new CommittedRows(db, tables.records);
  const started = Date.now();
  const perSite = await Promise.all(
    query.sites.map(async (site) => {
      const [sitePulses, siteBarriers, siteReturns, siteInterviews, siteChecks, siteResources, siteFeedback] =
        await Promise.all([
          pulses.listPulses(site, from, to),
          barriers.listReferralBarriers(site, from, to),
          engagement.listEngagementReturns(site, from.slice(0, 7), to.slice(0, 7)),
          queryPartition(db, tables.records, `INTERVIEW#${site}`, undefined, {
            expression: '#date BETWEEN :from AND :to',
            names: { '#date': 'date' },
            values: { ':from': from, ':to': to },
          }).then((items) => committed.filter(items, started)),
          // A site's capital checks are spread over several keys (see `capitalPartitions`).
          Promise.all(
            capitalPartitions(site).map((pk) =>
              queryPartition(db, tables.records, pk, 'CHECK#', {
                expression: '#date BETWEEN :from AND :to',
                names: { '#date': 'date' },
                values: { ':from': from, ':to': to },
              }),
            ),
          ).then((items) => committed.filter(items.flat(), started)),
          queryPartition(db, tables.records, `RESOURCE#${site}`, undefined, {
            expression: 'recordedAt <= :end',
            values: { ':end': `${to}~` },
          }),
          queryPartition(db, tables.records, `FEEDBACK#${site}`, undefined, {
            expression: '#month BETWEEN :from AND :to',
            names: { '#month': 'month' },
            values: { ':from': from.slice(0, 7), ':to': to.slice(0, 7) },
          }),
        ]);
      return {
        pulses: sitePulses.map(({ site, monday, respondent, answers }): EvidencePulse => ({
          site,
          monday,
          respondent,
          answers,
        })),
        barrierReports: siteBarriers.map((r): EvidenceBarrierReport => ({
          site: r.site,
          reporter: r.reporter,
          reporterRole: r.reporterRole,
          source: r.source,
          referring: r.referring,
          barriers: r.barriers,
          enablers: r.enablers,
          submittedAt: r.submittedAt,
        })),
        engagementReturns: siteReturns.map((r): EvidenceEngagementReturn => ({
          site: r.site,
          month: r.month,
          referralsReceived: r.referralsReceived,
          initialAppointments: r.initialAppointments,
          sessions: r.sessions,
          completions: r.completions,
          withdrawals: r.withdrawals,
        })),
        findings: siteInterviews.flatMap((item) => findingsOf(item as unknown as StoredInterview)),
        checks: siteChecks.map((item) => checkOf(item as unknown as StoredCheck)),
        resources: siteResources.map((item) => resourceOf(item as unknown as StoredCommunityResource)),
        feedback: siteFeedback.map((item) => feedbackOf(item as unknown as StoredFeedbackAnswer)),
      };
    }),
  );
  const changes = await queryPartition(db, tables.records, 'CHANGES', undefined, {
    expression: '#when BETWEEN :from AND :to',
    names: { '#when': 'when' },
    values: { ':from': from, ':to': to },
  });
  return {
    pulses: perSite.flatMap((s) => s.pulses),
    barrierReports: perSite.flatMap((s) => s.barrierReports),
    findings: perSite.flatMap((s) => s.findings),
    checks: perSite.flatMap((s) => s.checks),
    engagementReturns: perSite.flatMap((s) => s.engagementReturns),
    resources: perSite.flatMap((s) => s.resources),
    feedback: perSite.flatMap((s) => s.feedback),
    changes: changes.map((item) => changeOf(item as unknown as StoredChange)),
  };
}

function feedbackOf(answer: StoredFeedbackAnswer): EvidenceFeedback {
  return { site: answer.site, kind: answer.kind, month: answer.month, answers: { ...answer.answers } };
}

function changeOf(change: StoredChange): EvidenceChange {
  return { heard: change.heard, changed: change.changed, when: change.when, sites: change.sites };
}

function findingsOf(interview: StoredInterview): EvidenceFinding[] {
  return interview.findings.map((f) => ({
    site: interview.site,
    interview: interview.id,
    respondentGroup: interview.respondentGroup,
    method: interview.method,
    date: interview.date,
    area: f.area,
    theme: f.theme,
    outcomes: f.outcomes,
    stance: f.stance,
    quotes: f.quotes.filter((q) => q.publishable).map((q) => q.text),
  }));
}

function checkOf(check: StoredCheck): EvidenceCheck {
  const { site, participant, kind, date, barriers, needs, strengths } = check;
  return { site, participant, kind, date, barriers, needs, strengths };
}

function resourceOf(resource: StoredCommunityResource): EvidenceResource {
  return {
    site: resource.site,
    type: resource.type,
    status: resource.status,
    seedFunded: resource.seedFunded,
    ...(resource.seedFundingPounds !== undefined ? { seedFundingPounds: resource.seedFundingPounds } : {}),
    openAccess: resource.openAccess,
    suits: resource.suits,
    recordedAt: resource.recordedAt,
  };
}

/**
 * Every item of a partition (or of the sort keys starting with `prefix`) that passes `filter`. The
 * interview, capital and resource stores have no period query, so this queries the same keys they
 * write. A filter is applied by DynamoDB after reading, so it saves transfer, not read capacity.
 */
async function queryPartition(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
  prefix: string | undefined,
  filter: {
    expression: string;
    names?: Record<string, string>;
    values: Record<string, string>;
  },
): Promise<Record<string, unknown>[]> {
  return queryAll(db, {
    TableName: table,
    KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
    FilterExpression: filter.expression,
    ...(filter.names ? { ExpressionAttributeNames: filter.names } : {}),
    ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}), ...filter.values },
  });
}
