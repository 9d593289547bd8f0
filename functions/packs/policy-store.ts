import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut, isConditionFailure, queryAll, withoutKeys } from '../../shared/adapters/dynamo';
import type { AuditEvent } from '../../shared/domain/audit';
import { ConflictError } from '../../shared/domain/errors';
import { type DisclosurePolicyVersion, type PolicyStore, policyVersionSchema } from './policy';

/**
 * The pack disclosure policy's versions in the records table, beside the programme: one partition
 * (`PACK-POLICY`), sk the zero-padded version so a query reads them in order.
 */
export class DynamoPolicyStore implements PolicyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {}

  async history(): Promise<DisclosurePolicyVersion[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PACK-POLICY' },
      ConsistentRead: true,
    });
    return items.map((item) => policyVersionSchema.parse(withoutKeys(item)));
  }

  async add(policy: DisclosurePolicyVersion, audit: AuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.records,
                Item: { pk: 'PACK-POLICY', sk: String(policy.version).padStart(6, '0'), ...policy },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            auditPut(this.tables.audit, audit),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error, 0)) {
        throw new ConflictError(
          `Version ${policy.version} of the policy was set meanwhile; look at it again.`,
        );
      }
      throw error;
    }
  }
}
