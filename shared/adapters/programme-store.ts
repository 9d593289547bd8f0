import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/audit';
import {
  DEFAULT_PROGRAMME,
  type Programme,
  type ProgrammeWriter,
  programmeSchema,
} from '../domain/programme';
import { auditPut } from './dynamo';

/** The programme's state: one item in the records table, the default until an admin changes it. */
export class DynamoProgrammeStore implements ProgrammeWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly recordsTable: string,
    private readonly auditTable: string,
  ) {}

  async getProgramme(): Promise<Programme> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.recordsTable,
        Key: { pk: 'PROGRAMME', sk: 'STATE' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return DEFAULT_PROGRAMME;
    const { pk: _pk, sk: _sk, ...programme } = Item;
    return programmeSchema.parse(programme);
  }

  async saveProgramme(programme: Programme, audit: AuditEvent): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.recordsTable, Item: { pk: 'PROGRAMME', sk: 'STATE', ...programme } } },
          auditPut(this.auditTable, audit),
        ],
      }),
    );
  }
}
