import { cursorSigner } from '../../shared/adapters/cursor-signer';
import { s3Client } from '../../shared/adapters/s3';
import { commonWiring } from '../../shared/wiring';
import { DynamoCodebookStore } from './codebook-store';
import { DynamoInterviewStore } from './interview-store';
import { S3UploadStore } from './upload-store';

/** The findings function's composition root: the codebook, interviews and the uploads bucket. */
export async function findingsWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  const interviews = new DynamoInterviewStore(common.db, common.tables);
  return {
    ...common,
    codebook: new DynamoCodebookStore(common.db, common.tables),
    interviews,
    uploadLog: interviews,
    uploads: new S3UploadStore(
      s3Client({ region: common.config.AWS_REGION, endpoint: common.config.S3_ENDPOINT }),
      common.config.UPLOADS_BUCKET,
    ),
    uploadScan: common.config.UPLOAD_SCAN,
    /** Signs the paging cursors of a site's list of findings. */
    cursors: cursorSigner(common.key),
  };
}
