/**
 * A reference point, not a function: what the DynamoDB client and DocumentClient alone cost at cold
 * start, built the way the functions build theirs. The gap between this and a function is what our
 * own code, zod and middy add; the gap between this and the empty handler is the SDK's floor.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Exported so the bundler keeps it, as a function's composition root keeps its client. */
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));

export const handler = () => Promise.resolve({ statusCode: 200 });
