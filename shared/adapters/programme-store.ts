import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PROGRAMME, type Programme, type ProgrammeStore, programmeSchema } from '../domain/programme';

/** The programme's state: one item in the records table, the default until an admin changes it. */
export class DynamoProgrammeStore implements ProgrammeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly recordsTable: string,
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
}
