import { participantRefCipher } from '../../shared/adapters/participant-refs';
import { commonWiring } from '../../shared/wiring';
import { DynamoVoiceStore } from './voice-store';

/** The voice function's composition root: its store, reference sealing and the link hash. */
export async function voiceWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  const store = new DynamoVoiceStore(common.db, common.tables);
  return {
    ...common,
    voice: store,
    changes: store,
    participantRefs: participantRefCipher(common.key),
    /** A link is stored under this keyed hash of its token, under its own purpose label. */
    hashFeedbackToken: (token: string) => common.pseudonym('feedback-link', token),
  };
}
