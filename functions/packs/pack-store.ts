import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CopyObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  auditPut,
  isConditionFailure,
  queryAll,
  withoutKeys,
  type TransactItem,
} from '../../shared/adapters/dynamo';
import type { AuditEvent } from '../../shared/domain/audit';
import { ConflictError } from '../../shared/domain/errors';
import { type Ledger, type LedgerEntry, ledgerEntrySchema } from './ledger';
import {
  type BuildLauncher,
  FORMAT_FILES,
  type PackFiles,
  type PackFormat,
  type PackRecord,
  type PackStore,
} from './lifecycle';

type Tables = { readonly records: string; readonly audit: string };

/**
 * Packs in the records table: one partition (`PACK`, sk the id), so the list is one query (packs
 * number in the tens); a series item per series (`PACK-SERIES`) holding its last published version
 * and the policy version it keeps; and the ledger (`PACK-LEDGER`, one item per built draft with
 * every figure it shows by `ref` and the exact figure behind it), so publishing stays one
 * transaction however many figures a pack has (an item holds up to 400 KB: thousands of figures).
 *
 * A ledger item is written by the builder with the draft and counts only once its pack is
 * published (`publishedAt` set, in the publishing transaction). It holds exact values of suppressed
 * and rounded figures, so no route reads it: only the builder's `readLedger` does, to apply
 * differencing and the attacker's audit; the table is encrypted at rest like every record.
 */
export class DynamoPackStore implements PackStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async createPack(pack: PackRecord, audit: AuditEvent): Promise<void> {
    await this.transact([
      {
        Put: {
          TableName: this.tables.records,
          Item: { pk: 'PACK', sk: pack.id, ...pack },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(this.tables.audit, audit),
    ]);
  }

  async getPack(id: string): Promise<PackRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.records, Key: { pk: 'PACK', sk: id }, ConsistentRead: true }),
    );
    return Item ? (withoutKeys(Item) as unknown as PackRecord) : undefined;
  }

  async listPacks(): Promise<PackRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PACK' },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys(item) as unknown as PackRecord);
  }

  async finishBuild(
    id: string,
    outcome: Partial<PackRecord>,
    audit: AuditEvent,
    ledger?: LedgerEntry,
  ): Promise<boolean> {
    try {
      await this.transact([
        this.update(id, outcome, 'status = :from', { ':from': 'building' }),
        auditPut(this.tables.audit, audit),
        // An update creates the item, so the builder needs no PutItem on the records table.
        ...(ledger === undefined
          ? []
          : [
              {
                Update: {
                  TableName: this.tables.records,
                  Key: { pk: 'PACK-LEDGER', sk: id },
                  UpdateExpression: 'SET #entry = :entry',
                  ConditionExpression: 'attribute_not_exists(pk)',
                  ExpressionAttributeNames: { '#entry': 'entry' },
                  ExpressionAttributeValues: { ':entry': ledgerEntrySchema.parse(ledger) },
                },
              },
            ]),
      ]);
      return true;
    } catch (error) {
      if (isConditionFailure(error, 0)) return false;
      throw error;
    }
  }

  async approve(id: string, approver: string, at: string, audit: AuditEvent): Promise<void> {
    await this.transition(
      [
        this.update(
          id,
          { status: 'approved', approver, approvedAt: at },
          'status = :from AND builder <> :approver',
          { ':from': 'draft', ':approver': approver },
        ),
        auditPut(this.tables.audit, audit),
      ],
      'The pack changed while it was being approved; look at it again.',
    );
  }

  async publish(
    pack: PackRecord,
    publication: {
      publisher: string;
      publishedAt: string;
      releaseAt: string;
    },
    audit: AuditEvent,
  ): Promise<void> {
    const previous = pack.version - 1;
    await this.transition(
      [
        this.update(
          pack.id,
          {
            status: 'published',
            publisher: publication.publisher,
            publishedAt: publication.publishedAt,
            releaseAt: publication.releaseAt,
          },
          'status = :from',
          { ':from': 'approved' },
        ),
        {
          Put: {
            TableName: this.tables.records,
            Item: {
              pk: 'PACK-SERIES',
              sk: pack.series,
              publishedVersion: pack.version,
              // The first published pack fixes the series' policy version; later ones must match it.
              policyVersion: pack.policyVersion,
              latestPack: pack.id,
            },
            ...(previous === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'publishedVersion = :previous',
                  ExpressionAttributeValues: { ':previous': previous },
                }),
          },
        },
        {
          // The entry the build stored starts to count; a pack built before the ledger was kept
          // this way has none, and cannot be published without a rebuild.
          Update: {
            TableName: this.tables.records,
            Key: { pk: 'PACK-LEDGER', sk: pack.id },
            UpdateExpression: 'SET publishedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(publishedAt)',
            ExpressionAttributeValues: { ':at': publication.publishedAt },
          },
        },
        auditPut(this.tables.audit, audit),
      ],
      'The pack or its series changed while it was being published; look at it again.',
    );
  }

  async withdraw(
    id: string,
    withdrawn: NonNullable<PackRecord['withdrawn']>,
    audit: AuditEvent,
  ): Promise<void> {
    await this.transition(
      [
        this.update(id, { status: 'withdrawn', withdrawn }, 'status = :from', { ':from': 'published' }),
        auditPut(this.tables.audit, audit),
      ],
      'The pack changed while it was being withdrawn; look at it again.',
    );
  }

  async getSeries(series: string): Promise<{ publishedVersion: number; policyVersion: number } | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tables.records,
        Key: { pk: 'PACK-SERIES', sk: series },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return { publishedVersion: Item.publishedVersion as number, policyVersion: Item.policyVersion as number };
  }

  async readLedger(): Promise<Ledger> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'attribute_exists(publishedAt)',
      ExpressionAttributeValues: { ':pk': 'PACK-LEDGER' },
      ConsistentRead: true,
    });
    return items
      .map((item) => ({ at: item.publishedAt as string, entry: ledgerEntrySchema.parse(item.entry) }))
      .sort((a, b) => a.at.localeCompare(b.at) || a.entry.pack.localeCompare(b.entry.pack))
      .map(({ entry }) => entry);
  }

  async recordEvent(audit: AuditEvent): Promise<void> {
    await this.transact([auditPut(this.tables.audit, audit)]);
  }

  private update(
    id: string,
    fields: Partial<PackRecord>,
    condition: string,
    values: Record<string, unknown>,
  ): TransactItem {
    const entries = Object.entries(fields) as [string, unknown][];
    return {
      Update: {
        TableName: this.tables.records,
        Key: { pk: 'PACK', sk: id },
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: condition.replace(/\bstatus\b/g, '#status').replace(/\bbuilder\b/g, '#builder'),
        ExpressionAttributeNames: {
          ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
          '#status': 'status',
          ...(condition.includes('builder') ? { '#builder': 'builder' } : {}),
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
          ...values,
        },
      },
    };
  }

  private async transition(items: TransactItem[], conflict: string): Promise<void> {
    try {
      await this.transact(items);
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(conflict);
      throw error;
    }
  }

  private async transact(items: TransactItem[]): Promise<void> {
    await this.db.send(new TransactWriteCommand({ TransactItems: items }));
  }
}

/**
 * Pack files: drafts under `drafts/<id>/` in the packs bucket; published copies under
 * `published/<id>/v<version>/` in the published-packs bucket, where S3 Object Lock (compliance mode)
 * keeps every version unchanged. Both buckets encrypt with their default key, so no headers are needed.
 */
export class S3PackFiles implements PackFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: { readonly drafts: string; readonly published: string },
  ) {}

  async putDraft(id: string, format: PackFormat, body: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.buckets.drafts,
        Key: draftKey(id, format),
        Body: body,
        ContentType: FORMAT_FILES[format].contentType,
      }),
    );
  }

  async readDraft(id: string, format: PackFormat): Promise<Uint8Array | undefined> {
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.buckets.drafts, Key: draftKey(id, format) }),
      );
      return object.Body ? await object.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  async copyToPublished(id: string, version: number, format: PackFormat): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.buckets.published,
        Key: publishedKey(id, version, format),
        CopySource: `${this.buckets.drafts}/${draftKey(id, format)}`,
      }),
    );
  }

  presignPublished(
    id: string,
    version: number,
    format: PackFormat,
    expiresInSeconds: number,
  ): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.buckets.published,
        Key: publishedKey(id, version, format),
        ResponseContentDisposition: `attachment; filename="learning-pack-v${version}-${FORMAT_FILES[format].name}"`,
      }),
      { expiresIn: expiresInSeconds },
    );
  }
}

export const draftKey = (id: string, format: PackFormat) => `drafts/${id}/${FORMAT_FILES[format].name}`;
export const publishedKey = (id: string, version: number, format: PackFormat) =>
  `published/${id}/v${version}/${FORMAT_FILES[format].name}`;

/** Starts the builder function asynchronously (invocation type `Event`): Lambda queues it and answers 202. */
export class LambdaBuildLauncher implements BuildLauncher {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async startBuild(packId: string): Promise<void> {
    const answer = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ packId })),
      }),
    );
    if (answer.StatusCode !== 202)
      throw new Error(`The builder was not queued (status ${answer.StatusCode ?? '?'})`);
  }
}
