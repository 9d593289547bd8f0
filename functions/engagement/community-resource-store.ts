import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import {
  type CommunityResourceStore,
  MAX_RESOURCES_PER_SITE,
  organisationKey,
  type StoredCommunityResource,
} from './community-resources';
import { ConflictError } from '../../shared/domain/errors';
import type { SiteId } from '../../shared/domain/sites';
import { auditPut, isConditionFailure, queryAll, withoutKeys } from '../../shared/adapters/dynamo';

/**
 * Community resources in the records table: one partition per site (`RESOURCE#<site>`, sk the id),
 * so a site's map is one query. Beside it, one guard item per normalised organisation name
 * (`RESOURCE-NAME#<site>`), written in the same transaction, so the map never holds the same
 * organisation twice and its totals never double count. In the guards' partition, a counter
 * (sk `#count`; a normalised name has no `#`) caps the map at `MAX_RESOURCES_PER_SITE`.
 */
const COUNTER = '#count';

export class DynamoCommunityResourceStore implements CommunityResourceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {}

  async saveCommunityResource(resource: StoredCommunityResource, audit: AuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.records,
                Item: {
                  pk: `RESOURCE-NAME#${resource.site}`,
                  sk: organisationKey(resource.organisationName),
                  resourceId: resource.id,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tables.records,
                Item: { pk: `RESOURCE#${resource.site}`, sk: resource.id, ...resource },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // Counting in the same transaction makes the cap exact, even for two adds at once.
              Update: {
                TableName: this.tables.records,
                Key: { pk: `RESOURCE-NAME#${resource.site}`, sk: COUNTER },
                UpdateExpression: 'ADD resources :one',
                ConditionExpression: 'attribute_not_exists(resources) OR resources < :max',
                ExpressionAttributeValues: { ':one': 1, ':max': MAX_RESOURCES_PER_SITE },
              },
            },
            auditPut(this.tables.audit, audit),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error, 0)) {
        throw new ConflictError(
          `This site's map already has "${resource.organisationName}" (or a name that differs only in case, spacing or punctuation).`,
        );
      }
      if (isConditionFailure(error, 2)) {
        throw new ConflictError(
          `This site's map already holds ${MAX_RESOURCES_PER_SITE} resources, the most it can hold.`,
        );
      }
      throw error;
    }
  }

  async listCommunityResources(site: SiteId): Promise<StoredCommunityResource[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `RESOURCE#${site}` },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredCommunityResource);
  }
}
