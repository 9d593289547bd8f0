import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import { type CodebookStore, MAX_THEMES_PER_AREA, type Theme } from './codebook';
import { auditPut, isConditionFailure, queryAll } from '../../shared/adapters/dynamo';

const PK = 'CODEBOOK';
const THEME_PREFIX = 'THEME#';

/**
 * The codebook's themes in the records table, one partition: `THEME#<area>#<normalised name>`, so
 * a name is unique within its area by key alone, and `AREA#<area>` counters that cap each area.
 * The whole codebook is a few hundred small items at most: one query reads it.
 */
export class DynamoCodebookStore implements CodebookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {}

  async listThemes(): Promise<Theme[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': THEME_PREFIX },
    });
    return items.map((item) => ({
      id: item.id as string,
      area: item.area as Theme['area'],
      name: item.name as string,
      createdAt: item.createdAt as string,
    }));
  }

  async findThemes(ids: readonly string[]): Promise<ReadonlyMap<string, Theme>> {
    if (ids.length === 0) return new Map();
    // Themes are keyed by area and name, not id: reading the (small, capped) codebook once is
    // cheaper and simpler than an index for id lookups.
    const wanted = new Set(ids);
    return new Map((await this.listThemes()).filter((t) => wanted.has(t.id)).map((t) => [t.id, t]));
  }

  async addTheme(
    theme: Theme,
    normalisedName: string,
    audit: AuditEvent,
  ): Promise<'added' | 'duplicate' | 'full'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.records,
                Item: { pk: PK, sk: `${THEME_PREFIX}${theme.area}#${normalisedName}`, ...theme },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // Counting in the same transaction makes the cap exact, even for two adds at once.
              Update: {
                TableName: this.tables.records,
                Key: { pk: PK, sk: `AREA#${theme.area}` },
                UpdateExpression: 'ADD themes :one',
                ConditionExpression: 'attribute_not_exists(themes) OR themes < :max',
                ExpressionAttributeValues: { ':one': 1, ':max': MAX_THEMES_PER_AREA },
              },
            },
            auditPut(this.tables.audit, audit),
          ],
        }),
      );
      return 'added';
    } catch (error) {
      if (isConditionFailure(error, 0)) return 'duplicate';
      if (isConditionFailure(error, 1)) return 'full';
      throw error;
    }
  }
}
